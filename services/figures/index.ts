export { computeFigures, type Figures, type FiguresOptions } from './figures';
export { Counter, Histogram, MetricsRegistry } from './metrics';
