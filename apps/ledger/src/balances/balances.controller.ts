import { Controller, Get, Param, Query } from '@nestjs/common';
import { IsISO8601, IsOptional, IsString } from 'class-validator';
import { BalancesService, MerchantBalance, AccountBalance } from './balances.service';

class BalanceQuery {
  @IsOptional()
  @IsISO8601({ strict: true })
  as_of?: string;
}

class AccountsQuery {
  @IsOptional()
  @IsString()
  merchant_id?: string;

  @IsOptional()
  @IsString()
  provider?: string;
}

/** Internal reads for the gateway: a merchant's balance now or as of a past time, and accounts. */
@Controller('internal/v1')
export class BalancesController {
  constructor(private readonly balances: BalancesService) {}

  @Get('merchants/:merchantId/balance')
  merchantBalance(@Param('merchantId') merchantId: string, @Query() query: BalanceQuery): Promise<MerchantBalance> {
    return this.balances.merchantBalance(merchantId, query.as_of ? new Date(query.as_of) : undefined);
  }

  @Get('accounts')
  accounts(@Query() query: AccountsQuery): Promise<AccountBalance[]> {
    return this.balances.accountBalances({ merchantId: query.merchant_id, provider: query.provider });
  }
}
