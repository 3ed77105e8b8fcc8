import { Controller } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { PrometheusController } from '@willsoto/nestjs-prometheus';

/** The library's `/metrics` route, kept out of the public OpenAPI document. */
@ApiExcludeController()
@Controller()
export class MetricsController extends PrometheusController {}
