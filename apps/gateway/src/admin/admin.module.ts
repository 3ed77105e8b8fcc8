import { Module } from '@nestjs/common';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import { MerchantsModule } from '../merchants/merchants.module';
import { AdminLedgerController } from './admin-ledger.controller';
import { AdminMerchantsController } from './admin-merchants.controller';
import { AdminMerchantsService } from './admin-merchants.service';
import { AuditLog } from './audit-log';

@Module({
  imports: [MerchantsModule, ApiKeysModule],
  controllers: [AdminMerchantsController, AdminLedgerController],
  providers: [AdminMerchantsService, AuditLog],
})
export class AdminModule {}
