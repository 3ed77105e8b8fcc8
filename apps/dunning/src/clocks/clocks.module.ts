import { Global, Module } from '@nestjs/common';
import { CustomerClocks } from './customer-clocks';

/** Global: every decision reads the customer's time through CustomerClocks. */
@Global()
@Module({ providers: [CustomerClocks], exports: [CustomerClocks] })
export class ClocksModule {}
