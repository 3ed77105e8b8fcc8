import { Module } from '@nestjs/common';
import { BookWriter } from '../book/book-writer';
import { MoneyEventsConsumer } from './money-events.consumer';

@Module({ controllers: [MoneyEventsConsumer], providers: [BookWriter], exports: [BookWriter] })
export class PostingsModule {}
