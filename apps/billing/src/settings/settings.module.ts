import { Module } from '@nestjs/common';
import { BillingSettingsController } from './billing-settings.controller';
import { BillingSettingsService } from './billing-settings.service';

/** Exports the service: invoice finalization reads the merchant's prefix through it. */
@Module({ controllers: [BillingSettingsController], providers: [BillingSettingsService], exports: [BillingSettingsService] })
export class SettingsModule {}
