import { type ServiceName } from '@vigil/config';
import { type MigrationInterface } from 'typeorm';
import { ClassificationSchema1795651200000 } from './classification/1795651200000-classification-schema.migration';
import { DetectionSchema1795651200000 } from './detection/1795651200000-detection-schema.migration';
import { GatewaySchema1795651200000 } from './gateway/1795651200000-gateway-schema.migration';
import { GatewayReadModel1795996800000 } from './gateway/1795996800000-gateway-read-model.migration';
import { GatewayBouncerCursors1796256000000 } from './gateway/1796256000000-gateway-bouncer-cursors.migration';
import { GatewayAlertEvidence1796860800000 } from './gateway/1796860800000-gateway-alert-evidence.migration';
import { GatewayUploadLeases1796947200000 } from './gateway/1796947200000-gateway-upload-leases.migration';
import { IngestionSchema1795651200000 } from './ingestion/1795651200000-ingestion-schema.migration';
import { IngestionUploadChunks1795996800000 } from './ingestion/1795996800000-ingestion-upload-chunks.migration';
import { ModelRegistrySchema1795651200000 } from './model-registry/1795651200000-model-registry-schema.migration';
import { ModelRegistryVersions1795824000000 } from './model-registry/1795824000000-model-registry-versions.migration';
import { SelfHealingSchema1795651200000 } from './self-healing/1795651200000-self-healing-schema.migration';
import { SelfHealingDecisions1795737600000 } from './self-healing/1795737600000-self-healing-decisions.migration';
import { SelfHealingEvidence1796169600000 } from './self-healing/1796169600000-self-healing-evidence.migration';

type MigrationClass = new () => MigrationInterface;

/**
 * Every service's migrations, oldest first. They live here, not in the apps, because both the
 * service and `vigil migrate` need them and apps cannot import apps. Append; never edit a
 * migration that has landed.
 */
export const SERVICE_MIGRATIONS: Readonly<Record<ServiceName, readonly MigrationClass[]>> = {
  gateway: [GatewaySchema1795651200000, GatewayReadModel1795996800000, GatewayBouncerCursors1796256000000, GatewayAlertEvidence1796860800000, GatewayUploadLeases1796947200000],
  ingestion: [IngestionSchema1795651200000, IngestionUploadChunks1795996800000],
  detection: [DetectionSchema1795651200000],
  classification: [ClassificationSchema1795651200000],
  'model-registry': [ModelRegistrySchema1795651200000, ModelRegistryVersions1795824000000],
  'self-healing': [SelfHealingSchema1795651200000, SelfHealingDecisions1795737600000, SelfHealingEvidence1796169600000],
};

export function migrationsFor(service: ServiceName): readonly MigrationClass[] {
  return SERVICE_MIGRATIONS[service];
}
