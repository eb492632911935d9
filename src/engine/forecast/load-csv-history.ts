/**
 * A directory of canonical CSVs with its whole history (every usage, ticket and survey row, not the
 * engine's look-back window), for the commands that replay the past: model evaluation, the forecast
 * dry run, the backtest and retention metrics. Same readers, schemas and checks as `import`.
 */
import { loadCsvPortfolio } from '../load-csv-portfolio.ts';
import type { PortfolioHistory } from './portfolio-history.ts';

export function loadCsvHistory({ inputDir }: { inputDir: string }): Promise<PortfolioHistory> {
  return loadCsvPortfolio({ inputDir });
}
