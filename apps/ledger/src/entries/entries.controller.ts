import { Controller, Get, Param, Query } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { EntriesService, EntryList } from './entries.service';

class EntriesQuery {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit = 10;

  @IsOptional()
  @Matches(/^le_\d{1,18}$/, { message: 'starting_after must be a ledger entry id (le_…)' })
  starting_after?: string;
}

@Controller('internal/v1')
export class EntriesController {
  constructor(private readonly entries: EntriesService) {}

  @Get('merchants/:merchantId/entries')
  list(@Param('merchantId') merchantId: string, @Query() query: EntriesQuery): Promise<EntryList> {
    return this.entries.list(merchantId, query.limit, query.starting_after);
  }
}
