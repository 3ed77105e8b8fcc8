import { Module } from '@nestjs/common';
import { BalancesController } from './balances.controller';
import { BalancesService } from './balances.service';

@Module({ controllers: [BalancesController], providers: [BalancesService] })
export class BalancesModule {}
