import { type DynamicModule, Module } from '@nestjs/common';
import { RecentFlowIds } from './flow-identity.service';
import { INGESTION_CONFIG, INGESTION_TOPOLOGY, type IngestionSettings } from './flow-intake.config';
import { FlowAdmitter } from './flow-intake.service';
import { FlowPublisher, JetStreamFlowPublisher } from './flow-publisher.service';
import { IngestionDoorsHandler } from './ingestion-doors.handler';
import { IngestionService } from './ingestion.service';

/** Records in through three doors, validated flow batches out to `flows.<contract>`. */
@Module({})
export class FlowIntakeModule {
  static register(settings: IngestionSettings): DynamicModule {
    return {
      module: FlowIntakeModule,
      providers: [
        { provide: INGESTION_CONFIG, useValue: settings },
        { provide: INGESTION_TOPOLOGY, useValue: settings.topology },
        { provide: FlowPublisher, useClass: JetStreamFlowPublisher },
        {
          provide: FlowAdmitter,
          useFactory: (publisher: FlowPublisher) =>
            new FlowAdmitter({ publisher, recent: new RecentFlowIds(settings.dedupCapacity), topology: settings.topology, batchMaxFlows: settings.batchMaxFlows }),
          inject: [FlowPublisher],
        },
        { provide: IngestionService, useFactory: (admitter: FlowAdmitter) => new IngestionService(admitter), inject: [FlowAdmitter] },
        IngestionDoorsHandler,
      ],
      exports: [IngestionService],
    };
  }
}
