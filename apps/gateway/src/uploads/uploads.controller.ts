import { Controller, Post, Req, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiPayloadTooLargeResponse, ApiTags, ApiUnsupportedMediaTypeResponse, ApiBadRequestResponse } from '@nestjs/swagger';
import { type ServerResponse } from 'node:http';
import { Access } from '../auth/access.decorator';
import { type AuthenticatedRequest } from '../auth/auth.guard';
import { API_TAGS, ERROR_ENVELOPE_SCHEMA, openApiSchema } from '../http/openapi.setup';
import { JobsService } from './jobs.service';
import { type JobView, jobViewSchema } from './jobs.schemas';
import { ACCEPTED_UPLOAD_TYPES } from './upload-body.reader';
import { UploadsService } from './uploads.service';

@ApiTags(API_TAGS.uploads)
@Controller('api/v1/upload')
export class UploadsController {
  constructor(
    private readonly uploads: UploadsService,
    private readonly jobs: JobsService,
  ) {}

  @Post('csv')
  @Access('operator')
  @ApiOperation({
    summary: 'Upload a flow file (CSV/TXT of any contract variant, plain or .gz) for scoring',
    description:
      'The body is multipart/form-data (first part with a filename) or the raw file. The file is received in full (spooled to disk, hashed), its layout detected from the header, and a job starts: 202 with the job. The same content uploaded again answers 200 with the earlier job (`duplicate: true`). Follow the job at `GET /api/v1/jobs/{id}` or on the `jobs` channel of /ws.',
  })
  @ApiConsumes(...ACCEPTED_UPLOAD_TYPES)
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } } })
  @ApiAcceptedResponse({ description: 'a new job', schema: openApiSchema(jobViewSchema) })
  @ApiOkResponse({ description: 'the same content was uploaded before: that job', schema: openApiSchema(jobViewSchema) })
  @ApiBadRequestResponse({ description: 'empty file, not text, damaged gzip, unknown layout or missing columns', schema: ERROR_ENVELOPE_SCHEMA })
  @ApiPayloadTooLargeResponse({ schema: ERROR_ENVELOPE_SCHEMA })
  @ApiUnsupportedMediaTypeResponse({ schema: ERROR_ENVELOPE_SCHEMA })
  async upload(@Req() req: AuthenticatedRequest, @Res({ passthrough: true }) res: ServerResponse): Promise<JobView> {
    const accepted = await this.uploads.accept(req, req.principal?.keyId ?? 'unknown');
    res.statusCode = accepted.duplicate ? 200 : 202;
    res.setHeader('location', `/api/v1/jobs/${accepted.jobId}`);
    return this.jobs.view(accepted.jobId, accepted.duplicate);
  }
}
