import { Module } from '@nestjs/common';
import { AlertsController } from './alerts.controller';
import { AlertsRepository } from './alerts.repository';

@Module({ controllers: [AlertsController], providers: [AlertsRepository] })
export class AlertsModule {}
