import { Body, Controller, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiOkResponse, ApiOperation, ApiPayloadTooLargeResponse, ApiQuery, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { currentCorrelationId } from '@vigil/observability';
import { Access } from '../auth/access.decorator';
import { API_TAGS, ERROR_ENVELOPE_SCHEMA, openApiSchema } from '../http/openapi.setup';
import { parseRequest } from '../http/request.validation';
import { submitFlowsBodySchema, type SubmitFlowsReply, submitFlowsQuerySchema, submitFlowsReplySchema } from './flows.schemas';
import { FlowsService } from './flows.service';

@ApiTags(API_TAGS.flows)
@Controller('api/v1/flows')
export class FlowsController {
  constructor(private readonly flows: FlowsService) {}

  @Post()
  @HttpCode(200)
  @Access('operator')
  @ApiOperation({
    summary: 'Submit a JSON batch of flow records of one contract',
    description: 'Answers per record: accepted (with its flow id), duplicate, or rejected with field, code and reason. With `wait=true` the detection and classification results of the batch are joined in (up to `timeoutMs`, default GATEWAY_WAIT_TIMEOUT_MS; `complete` says whether all arrived).',
  })
  @ApiQuery({ name: 'wait', required: false, enum: ['true', 'false'] })
  @ApiQuery({ name: 'timeoutMs', required: false })
  @ApiBody({ schema: openApiSchema(submitFlowsBodySchema, 'input') })
  @ApiOkResponse({ schema: openApiSchema(submitFlowsReplySchema) })
  @ApiBadRequestResponse({ schema: ERROR_ENVELOPE_SCHEMA })
  @ApiPayloadTooLargeResponse({ schema: ERROR_ENVELOPE_SCHEMA })
  @ApiServiceUnavailableResponse({ description: 'ingestion did not answer', schema: ERROR_ENVELOPE_SCHEMA })
  submit(@Body() body: unknown, @Query() query: Record<string, unknown>): Promise<SubmitFlowsReply> {
    const { wait, timeoutMs } = parseRequest(submitFlowsQuerySchema, query, 'query');
    return this.flows.submit(parseRequest(submitFlowsBodySchema, body, 'body'), { wait, timeoutMs, correlationId: currentCorrelationId() });
  }
}
