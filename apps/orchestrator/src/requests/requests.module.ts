import { Module } from '@nestjs/common';
import { AttemptsModule } from '../attempts/attempts.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { ResultsModule } from '../results/results.module';
import { RoutingModule } from '../routing/routing.module';
import { PaymentRequestsConsumer } from './payment-requests.consumer';
import { PaymentRequestsService } from './payment-requests.service';

@Module({
  imports: [AttemptsModule, RoutingModule, ResultsModule, NotificationsModule],
  controllers: [PaymentRequestsConsumer],
  providers: [PaymentRequestsService],
})
export class RequestsModule {}
