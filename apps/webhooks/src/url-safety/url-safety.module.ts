import { Module } from '@nestjs/common';
import { UrlSafety } from './url-safety';

@Module({ providers: [UrlSafety], exports: [UrlSafety] })
export class UrlSafetyModule {}
