import {
  BadRequestException,
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  Post,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { PROVIDERS, type Provider } from '@payflow/contracts';
import { FaultInjector } from './fault-injector';
import { FaultSpecError, describeFaultSpec, faultSpecFromObject, parseFaultSpec } from './fault-spec';

function providerOf(name: string): Provider {
  if (!(PROVIDERS as readonly string[]).includes(name))
    throw new NotFoundException(`unknown provider ${name} (stripe, adyen)`);
  return name as Provider;
}

/**
 * Fault injection at run time:
 * - `GET /_simulator/faults` — both providers' settings and how many faults each injected;
 * - `POST /_simulator/faults/{provider}` with `{"error_5xx_executed": 1, "limit": 1}` or
 *   `{"spec": "latency_ms=20,timeout=0.1"}` — replaces that provider's settings and restarts its
 *   random sequence from the seed (so the same run gives the same faults);
 * - `DELETE /_simulator/faults/{provider}` — no faults.
 */
@ApiExcludeController()
@Controller('_simulator/faults')
export class FaultsController {
  constructor(private readonly faults: FaultInjector) {}

  @Get()
  all(): Record<Provider, { spec: Record<string, number>; injected: number }> {
    return { stripe: this.describe('stripe'), adyen: this.describe('adyen') };
  }

  @Post(':provider')
  @HttpCode(200)
  configure(
    @Param('provider') name: string,
    @Body() body: Record<string, unknown>,
  ): { spec: Record<string, number>; injected: number } {
    const provider = providerOf(name);
    try {
      const spec =
        typeof body?.['spec'] === 'string' ? parseFaultSpec(body['spec']) : faultSpecFromObject(body ?? {});
      this.faults.configure(provider, spec);
    } catch (error) {
      if (error instanceof FaultSpecError) throw new BadRequestException(error.message);
      throw error;
    }
    return this.describe(provider);
  }

  @Delete(':provider')
  @HttpCode(200)
  reset(@Param('provider') name: string): { spec: Record<string, number>; injected: number } {
    const provider = providerOf(name);
    this.faults.reset(provider);
    return this.describe(provider);
  }

  private describe(provider: Provider): { spec: Record<string, number>; injected: number } {
    return { spec: describeFaultSpec(this.faults.spec(provider)), injected: this.faults.injected(provider) };
  }
}
