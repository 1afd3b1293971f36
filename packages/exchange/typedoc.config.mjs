// API docs of this package: one entry per public subpath of its exports map.
import { packageOptions } from '../../scripts/typedoc-package.mjs';

export default {
  ...packageOptions(import.meta.dirname),
  // Binance's raw wire rows, which the parsers take as they come off the socket.
  intentionallyNotExported: ['ExecutionReportWire', 'MyTradeWire', 'SymbolFilters'],
};
