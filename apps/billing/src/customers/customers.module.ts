import { Module } from '@nestjs/common';
import { CustomerTime } from '../test-clocks/customer-time';
import { CustomersController } from './customers.controller';
import { CustomersRepository } from './customers.repository';
import { CustomersService } from './customers.service';

@Module({
  controllers: [CustomersController],
  providers: [CustomersRepository, CustomersService, CustomerTime],
  exports: [CustomersRepository],
})
export class CustomersModule {}
