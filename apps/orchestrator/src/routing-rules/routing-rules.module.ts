import { Module } from '@nestjs/common';
import { RoutingModule } from '../routing/routing.module';
import { RoutingRulesController } from './routing-rules.controller';
import { RoutingRulesService } from './routing-rules.service';

@Module({ imports: [RoutingModule], controllers: [RoutingRulesController], providers: [RoutingRulesService] })
export class RoutingRulesModule {}
