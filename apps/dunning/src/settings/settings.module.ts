import { Module } from '@nestjs/common';
import { DunningSettingsController } from './dunning-settings.controller';
import { DunningSettingsService } from './dunning-settings.service';

/** Exports the service: every decision reads the merchant's settings through it. */
@Module({ controllers: [DunningSettingsController], providers: [DunningSettingsService], exports: [DunningSettingsService] })
export class SettingsModule {}
