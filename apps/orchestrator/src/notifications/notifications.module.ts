import { Module } from '@nestjs/common';
import { AttemptsModule } from '../attempts/attempts.module';
import { ResultsModule } from '../results/results.module';
import { NotificationsConsumer } from './notifications.consumer';
import { NotificationsService } from './notifications.service';
import { PspNotificationsRepository } from './psp-notifications.repository';

@Module({
  imports: [AttemptsModule, ResultsModule],
  controllers: [NotificationsConsumer],
  providers: [NotificationsService, PspNotificationsRepository],
  exports: [NotificationsService],
})
export class NotificationsModule {}
