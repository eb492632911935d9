/**
 * An explainable renewal model: L2-regularized logistic regression fitted on a tenant's own closed
 * renewals, with k-fold cross-validation so a CS leader can see how far to trust it (issue 5).
 *
 * - Features come from plain records: numbers (and numeric strings, booleans as 0/1) are numeric;
 *   text with at most `maxLevels` (default 12) distinct values is categorical (one indicator column
 *   per level, `(missing)` a level of its own); other text is dropped, as are constant and empty
 *   columns (`inferFeatureSpec`).
 * - Every column is standardized on the training rows (z = (x − mean) / sd; a missing number is
 *   imputed at the mean and gets a `missing` indicator column), so a weight is the change in log-odds
 *   per standard deviation and a contribution is relative to the average training renewal.
 * - The fit minimizes  Σᵢ −[yᵢ ln pᵢ + (1 − yᵢ) ln(1 − pᵢ)] + (l2 / 2)·‖w‖²  (the intercept is not
 *   penalized; l2 is the precision of a Gaussian prior on the standardized weights, default 1) by
 *   Newton's method (IRLS) with step halving and a fixed iteration budget. The objective is strictly
 *   convex, so the result does not depend on the starting point and the whole procedure is
 *   deterministic.
 * - Predicted probabilities come from a logit clamped to ±30, so they lie strictly inside (0, 1).
 */
import { ForecastError } from './forecast-error.ts';
import { auc, brierScore, logLoss, type ReliabilityBin, reliabilityBins } from './probability-scores.ts';

export type FeatureValue = number | string | boolean | null | undefined;

export type ModelRow = {
  features: Readonly<Record<string, FeatureValue>>;
  /** 1 = renewed (won), 0 = not renewed (lost). */
  label: 0 | 1;
  /** The transparent prior's probability for this renewal, when known (reported as a baseline). */
  prior?: number | null;
};

export type NumericFeature = { name: string; kind: 'numeric'; hasMissing: boolean };
export type CategoricalFeature = { name: string; kind: 'categorical'; levels: string[] };
export type ModelFeature = NumericFeature | CategoricalFeature;

export type DroppedFeature = { name: string; reason: 'too_many_levels' | 'constant' | 'empty' };

export type FeatureSpec = { features: ModelFeature[]; dropped: DroppedFeature[] };

export type ModelColumn = {
  /** The record field this column comes from. */
  feature: string;
  /** `tenure_months`, `tenure_months missing`, `plan=enterprise`. */
  label: string;
  kind: 'numeric' | 'missing' | 'level';
  level?: string;
  mean: number;
  scale: number;
};

/** A fitted model; plain data, safe to store as JSON. */
export type LogisticModel = {
  spec: FeatureSpec;
  columns: ModelColumn[];
  intercept: number;
  weights: number[];
  l2: number;
  iterations: number;
  converged: boolean;
  trainingRows: number;
  baseRate: number;
};

const MISSING_LEVEL = '(missing)';
const DEFAULT_MAX_LEVELS = 12;
const DEFAULT_L2 = 1;
const DEFAULT_MAX_ITERATIONS = 30;
const LOGIT_LIMIT = 30;
const INTERCEPT_RIDGE = 1e-6;
const NUMERIC_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

// ---------------------------------------------------------------------------------------------
// Values and feature inference
// ---------------------------------------------------------------------------------------------

type ParsedValue = { kind: 'missing' } | { kind: 'number'; value: number } | { kind: 'text'; value: string };

function parseValue(value: FeatureValue): ParsedValue {
  if (value === null || value === undefined) return { kind: 'missing' };
  if (typeof value === 'boolean') return { kind: 'number', value: value ? 1 : 0 };
  if (typeof value === 'number')
    return Number.isFinite(value) ? { kind: 'number', value } : { kind: 'missing' };
  const text = value.trim();
  if (text === '') return { kind: 'missing' };
  if (NUMERIC_TEXT.test(text)) {
    const number = Number(text);
    if (Number.isFinite(number)) return { kind: 'number', value: number };
  }
  return { kind: 'text', value: text };
}

function levelOf(value: FeatureValue): string {
  const parsed = parseValue(value);
  if (parsed.kind === 'missing') return MISSING_LEVEL;
  return parsed.kind === 'number' ? String(parsed.value) : parsed.value;
}

export type InferFeatureSpecOptions = { maxLevels?: number };

/**
 * Decides, from the values alone, which fields are numeric and which categorical. A field is numeric
 * when every present value is a number, a numeric string or a boolean; otherwise it is categorical
 * when it has at most `maxLevels` distinct values (counting `(missing)`), and dropped when it has
 * more. Fields with no present value, or one value and nothing missing, are dropped. Fields are taken
 * in name order.
 */
export function inferFeatureSpec(
  rows: readonly Pick<ModelRow, 'features'>[],
  { maxLevels = DEFAULT_MAX_LEVELS }: InferFeatureSpecOptions = {},
): FeatureSpec {
  const names = new Set<string>();
  for (const row of rows) for (const name of Object.keys(row.features)) names.add(name);
  const features: ModelFeature[] = [];
  const dropped: DroppedFeature[] = [];
  for (const name of [...names].sort()) {
    let missing = 0;
    let text = false;
    let first: number | null = null;
    let varies = false;
    for (const row of rows) {
      const parsed = parseValue(row.features[name]);
      if (parsed.kind === 'missing') missing++;
      else if (parsed.kind === 'text') text = true;
      else if (first === null) first = parsed.value;
      else if (parsed.value !== first) varies = true;
    }
    if (missing === rows.length) {
      dropped.push({ name, reason: 'empty' });
      continue;
    }
    if (!text) {
      if (!varies && missing === 0) dropped.push({ name, reason: 'constant' });
      else features.push({ name, kind: 'numeric', hasMissing: missing > 0 });
      continue;
    }
    const levels = new Map<string, number>();
    for (const row of rows) {
      const level = levelOf(row.features[name]);
      const count = levels.get(level);
      if (count !== undefined) levels.set(level, count + 1);
      else if (levels.size <= maxLevels) levels.set(level, 1);
    }
    if (levels.size > maxLevels) {
      dropped.push({ name, reason: 'too_many_levels' });
    } else if (levels.size < 2) {
      dropped.push({ name, reason: 'constant' });
    } else {
      const ordered = [...levels].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      features.push({ name, kind: 'categorical', levels: ordered.map(([level]) => level) });
    }
  }
  return { features, dropped };
}

// ---------------------------------------------------------------------------------------------
// Encoding: rows → raw column values (once), then standardized design matrices per training set
// ---------------------------------------------------------------------------------------------

type RawColumn = { column: Omit<ModelColumn, 'mean' | 'scale'>; values: Float64Array };

/** Raw (unstandardized) values of every column; a missing number is NaN. */
function encodeRaw(spec: FeatureSpec, rows: readonly Pick<ModelRow, 'features'>[]): RawColumn[] {
  const n = rows.length;
  const columns: RawColumn[] = [];
  for (const feature of spec.features) {
    if (feature.kind === 'numeric') {
      const values = new Float64Array(n);
      const missing = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const parsed = parseValue((rows[i] as Pick<ModelRow, 'features'>).features[feature.name]);
        values[i] = parsed.kind === 'number' ? parsed.value : Number.NaN;
        missing[i] = parsed.kind === 'number' ? 0 : 1;
      }
      columns.push({ column: { feature: feature.name, label: feature.name, kind: 'numeric' }, values });
      if (feature.hasMissing) {
        columns.push({
          column: { feature: feature.name, label: `${feature.name} missing`, kind: 'missing' },
          values: missing,
        });
      }
    } else {
      const index = new Map(feature.levels.map((level, i) => [level, i]));
      const codes = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        codes[i] = index.get(levelOf((rows[i] as Pick<ModelRow, 'features'>).features[feature.name])) ?? -1;
      }
      feature.levels.forEach((level, l) => {
        const values = new Float64Array(n);
        for (let i = 0; i < n; i++) values[i] = codes[i] === l ? 1 : 0;
        columns.push({
          column: { feature: feature.name, label: `${feature.name}=${level}`, kind: 'level', level },
          values,
        });
      });
    }
  }
  return columns;
}

function columnStats(values: Float64Array, indices: Int32Array): { mean: number; scale: number } {
  let count = 0;
  let sum = 0;
  for (let k = 0; k < indices.length; k++) {
    const v = values[indices[k] as number] as number;
    if (Number.isNaN(v)) continue;
    count++;
    sum += v;
  }
  const mean = count === 0 ? 0 : sum / count;
  let squares = 0;
  for (let k = 0; k < indices.length; k++) {
    const v = values[indices[k] as number] as number;
    if (Number.isNaN(v)) continue;
    squares += (v - mean) * (v - mean);
  }
  const sd = count === 0 ? 0 : Math.sqrt(squares / count);
  return { mean, scale: sd > 1e-12 ? sd : 1 };
}

/** Row-major matrix of the given rows with a leading intercept column of ones. */
function designMatrix(
  raw: readonly RawColumn[],
  columns: readonly ModelColumn[],
  indices: Int32Array,
): Float64Array {
  const width = columns.length + 1;
  const matrix = new Float64Array(indices.length * width);
  for (let k = 0; k < indices.length; k++) matrix[k * width] = 1;
  for (let j = 0; j < columns.length; j++) {
    const values = (raw[j] as RawColumn).values;
    const { mean, scale } = columns[j] as ModelColumn;
    for (let k = 0; k < indices.length; k++) {
      const v = values[indices[k] as number] as number;
      matrix[k * width + j + 1] = Number.isNaN(v) ? 0 : (v - mean) / scale;
    }
  }
  return matrix;
}

// ---------------------------------------------------------------------------------------------
// Fitting: Newton–Raphson (IRLS) on the penalized log-likelihood
// ---------------------------------------------------------------------------------------------

function sigmoid(logit: number): number {
  const clamped = Math.max(-LOGIT_LIMIT, Math.min(LOGIT_LIMIT, logit));
  return 1 / (1 + Math.exp(-clamped));
}

/** ln(1 + e^η), without overflow. */
function softplus(eta: number): number {
  return eta > 0 ? eta + Math.log1p(Math.exp(-eta)) : Math.log1p(Math.exp(eta));
}

function objective(x: Float64Array, y: Float64Array, beta: Float64Array, penalty: Float64Array): number {
  const width = beta.length;
  const n = y.length;
  let loss = 0;
  for (let i = 0; i < n; i++) {
    let eta = 0;
    const offset = i * width;
    for (let j = 0; j < width; j++) eta += (x[offset + j] as number) * (beta[j] as number);
    loss += softplus(eta) - (y[i] as number) * eta;
  }
  for (let j = 0; j < width; j++) loss += 0.5 * (penalty[j] as number) * (beta[j] as number) ** 2;
  return loss;
}

/** Solves A·x = b for a symmetric positive-definite A (row-major, size m×m) by Cholesky. */
function solveSpd(a: Float64Array, b: Float64Array, m: number): Float64Array {
  const l = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i * m + j] as number;
      for (let k = 0; k < j; k++) sum -= (l[i * m + k] as number) * (l[j * m + k] as number);
      if (i === j) l[i * m + i] = Math.sqrt(Math.max(sum, 1e-12));
      else l[i * m + j] = sum / (l[j * m + j] as number);
    }
  }
  const z = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let sum = b[i] as number;
    for (let k = 0; k < i; k++) sum -= (l[i * m + k] as number) * (z[k] as number);
    z[i] = sum / (l[i * m + i] as number);
  }
  const x = new Float64Array(m);
  for (let i = m - 1; i >= 0; i--) {
    let sum = z[i] as number;
    for (let k = i + 1; k < m; k++) sum -= (l[k * m + i] as number) * (x[k] as number);
    x[i] = sum / (l[i * m + i] as number);
  }
  return x;
}

/**
 * Upper triangle of Xᵀ·diag(w)·X into `gram` (overwritten). Rows are taken four at a time so each
 * entry of the accumulator is loaded and stored once per four rows: this loop is the cost of a fit.
 */
function accumulateGram(x: Float64Array, w: Float64Array, width: number, gram: Float64Array): void {
  gram.fill(0);
  const n = w.length;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    const o0 = i * width;
    const o1 = o0 + width;
    const o2 = o1 + width;
    const o3 = o2 + width;
    const w0 = w[i] as number;
    const w1 = w[i + 1] as number;
    const w2 = w[i + 2] as number;
    const w3 = w[i + 3] as number;
    for (let a = 0; a < width; a++) {
      const a0 = w0 * (x[o0 + a] as number);
      const a1 = w1 * (x[o1 + a] as number);
      const a2 = w2 * (x[o2 + a] as number);
      const a3 = w3 * (x[o3 + a] as number);
      const row = a * width;
      for (let b = a; b < width; b++) {
        gram[row + b] =
          (gram[row + b] as number) +
          a0 * (x[o0 + b] as number) +
          a1 * (x[o1 + b] as number) +
          a2 * (x[o2 + b] as number) +
          a3 * (x[o3 + b] as number);
      }
    }
  }
  for (; i < n; i++) {
    const offset = i * width;
    const wi = w[i] as number;
    for (let a = 0; a < width; a++) {
      const wxa = wi * (x[offset + a] as number);
      const row = a * width;
      for (let b = a; b < width; b++)
        gram[row + b] = (gram[row + b] as number) + wxa * (x[offset + b] as number);
    }
  }
}

type FitResult = { beta: Float64Array; iterations: number; converged: boolean };

function newton(
  x: Float64Array,
  y: Float64Array,
  width: number,
  l2: number,
  maxIterations: number,
): FitResult {
  const n = y.length;
  const penalty = new Float64Array(width).fill(l2);
  penalty[0] = INTERCEPT_RIDGE;
  let beta = new Float64Array(width);
  let positives = 0;
  for (let i = 0; i < n; i++) positives += y[i] as number;
  const rate = Math.min(1 - 1e-6, Math.max(1e-6, positives / n));
  beta[0] = Math.log(rate / (1 - rate));
  let current = objective(x, y, beta, penalty);
  const gradient = new Float64Array(width);
  const hessian = new Float64Array(width * width);
  const weights = new Float64Array(n);
  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    gradient.fill(0);
    for (let i = 0; i < n; i++) {
      const offset = i * width;
      let eta = 0;
      for (let j = 0; j < width; j++) eta += (x[offset + j] as number) * (beta[j] as number);
      const p = sigmoid(eta);
      const residual = p - (y[i] as number);
      weights[i] = Math.max(p * (1 - p), 1e-12);
      for (let j = 0; j < width; j++)
        gradient[j] = (gradient[j] as number) + residual * (x[offset + j] as number);
    }
    accumulateGram(x, weights, width, hessian);
    for (let a = 0; a < width; a++) {
      gradient[a] = (gradient[a] as number) + (penalty[a] as number) * (beta[a] as number);
      hessian[a * width + a] = (hessian[a * width + a] as number) + (penalty[a] as number);
      for (let b = 0; b < a; b++) hessian[a * width + b] = hessian[b * width + a] as number;
    }
    const step = solveSpd(hessian, gradient, width);
    let scale = 1;
    let candidate = new Float64Array(width);
    let value = Number.POSITIVE_INFINITY;
    for (let halving = 0; halving < 30; halving++) {
      for (let j = 0; j < width; j++) candidate[j] = (beta[j] as number) - scale * (step[j] as number);
      value = objective(x, y, candidate, penalty);
      if (value <= current) break;
      scale /= 2;
    }
    if (!(value <= current)) return { beta, iterations: iteration, converged: true };
    let largest = 0;
    for (let j = 0; j < width; j++) largest = Math.max(largest, Math.abs(scale * (step[j] as number)));
    const improvement = current - value;
    [beta, candidate] = [candidate, beta];
    current = value;
    if (largest < 1e-8 || improvement <= 1e-12 * Math.max(1, Math.abs(current))) {
      return { beta, iterations: iteration, converged: true };
    }
  }
  return { beta, iterations: maxIterations, converged: false };
}

function fitEncoded(
  spec: FeatureSpec,
  raw: readonly RawColumn[],
  labels: Float64Array,
  indices: Int32Array,
  l2: number,
  maxIterations: number,
): LogisticModel {
  const columns: ModelColumn[] = raw.map(({ column, values }) => ({
    ...column,
    ...columnStats(values, indices),
  }));
  const x = designMatrix(raw, columns, indices);
  const y = new Float64Array(indices.length);
  let positives = 0;
  for (let k = 0; k < indices.length; k++) {
    y[k] = labels[indices[k] as number] as number;
    positives += y[k] as number;
  }
  const { beta, iterations, converged } = newton(x, y, columns.length + 1, l2, maxIterations);
  return {
    spec,
    columns,
    intercept: beta[0] as number,
    weights: Array.from(beta.subarray(1)),
    l2,
    iterations,
    converged,
    trainingRows: indices.length,
    baseRate: indices.length === 0 ? 0 : positives / indices.length,
  };
}

function checkRows(rows: readonly ModelRow[]): Float64Array {
  const labels = new Float64Array(rows.length);
  rows.forEach((row, i) => {
    if (row.label !== 0 && row.label !== 1) {
      throw new ForecastError(
        'invalid_input',
        `model row ${i + 1}: label must be 0 or 1, got ${String(row.label)}`,
      );
    }
    labels[i] = row.label;
  });
  return labels;
}

function checkL2(l2: number): void {
  if (!(l2 >= 0) || !Number.isFinite(l2)) {
    throw new ForecastError('invalid_input', `l2 must be a non-negative number, got ${l2}`);
  }
}

export type FitModelOptions = {
  rows: readonly ModelRow[];
  /** Inferred from the rows when omitted. */
  featureSpec?: FeatureSpec;
  l2?: number;
  maxIterations?: number;
};

export function fitModel({
  rows,
  featureSpec,
  l2 = DEFAULT_L2,
  maxIterations = DEFAULT_MAX_ITERATIONS,
}: FitModelOptions): LogisticModel {
  checkL2(l2);
  if (rows.length === 0)
    throw new ForecastError('insufficient_history', 'cannot fit a model on no closed renewals');
  const labels = checkRows(rows);
  const spec = featureSpec ?? inferFeatureSpec(rows);
  const indices = Int32Array.from({ length: rows.length }, (_, i) => i);
  return fitEncoded(spec, encodeRaw(spec, rows), labels, indices, l2, maxIterations);
}

// ---------------------------------------------------------------------------------------------
// Prediction with the factors behind it
// ---------------------------------------------------------------------------------------------

export type FeatureContribution = {
  feature: string;
  /** The value as the model read it (a level's text, a number, or null when missing). */
  value: number | string | null;
  /** Change in log-odds against the average training renewal. */
  contribution: number;
};

export type Prediction = {
  probability: number;
  logit: number;
  /** The intercept: log-odds of the average training renewal. */
  baseLogit: number;
  /** One entry per model feature, largest |contribution| first; logit = baseLogit + Σ contributions. */
  contributions: FeatureContribution[];
};

function standardized(column: ModelColumn, value: FeatureValue): number {
  const parsed = parseValue(value);
  let raw: number;
  if (column.kind === 'numeric') {
    if (parsed.kind !== 'number') return 0;
    raw = parsed.value;
  } else if (column.kind === 'missing') {
    raw = parsed.kind === 'number' ? 0 : 1;
  } else {
    raw = levelOf(value) === column.level ? 1 : 0;
  }
  return (raw - column.mean) / column.scale;
}

export function predict(model: LogisticModel, row: Pick<ModelRow, 'features'>): Prediction {
  const byFeature = new Map<string, number>();
  let logit = model.intercept;
  model.columns.forEach((column, j) => {
    const term = (model.weights[j] as number) * standardized(column, row.features[column.feature]);
    logit += term;
    byFeature.set(column.feature, (byFeature.get(column.feature) ?? 0) + term);
  });
  const contributions: FeatureContribution[] = model.spec.features.map((feature) => {
    const parsed = parseValue(row.features[feature.name]);
    const value =
      feature.kind === 'categorical'
        ? levelOf(row.features[feature.name])
        : parsed.kind === 'number'
          ? parsed.value
          : null;
    return { feature: feature.name, value, contribution: byFeature.get(feature.name) ?? 0 };
  });
  contributions.sort(
    (a, b) =>
      Math.abs(b.contribution) - Math.abs(a.contribution) ||
      (a.feature < b.feature ? -1 : a.feature > b.feature ? 1 : 0),
  );
  return { probability: sigmoid(logit), logit, baseLogit: model.intercept, contributions };
}

function predictEncoded(model: LogisticModel, raw: readonly RawColumn[], index: number): number {
  let logit = model.intercept;
  for (let j = 0; j < model.columns.length; j++) {
    const column = model.columns[j] as ModelColumn;
    const v = (raw[j] as RawColumn).values[index] as number;
    if (!Number.isNaN(v)) logit += (model.weights[j] as number) * ((v - column.mean) / column.scale);
  }
  return sigmoid(logit);
}

// ---------------------------------------------------------------------------------------------
// Cross-validation
// ---------------------------------------------------------------------------------------------

/** mulberry32: a tiny seedable PRNG, enough for a reproducible shuffle. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * Fold of each row: a seeded Fisher–Yates shuffle, then renewed and not-renewed rows dealt round-robin
 * (stratified), so every fold has about the same size and base rate.
 */
export function assignFolds(labels: ArrayLike<number>, folds: number, seed: number): Int32Array {
  const n = labels.length;
  const order = Array.from({ length: n }, (_, i) => i);
  const random = mulberry32(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  const assignment = new Int32Array(n);
  let dealt = 0;
  for (const wanted of [1, 0]) {
    for (const i of order) {
      if (labels[i] !== wanted) continue;
      assignment[i] = dealt % folds;
      dealt++;
    }
  }
  return assignment;
}

export type ScoreSet = { n: number; auc: number | null; logLoss: number | null; brier: number | null };

export type CrossValidation = {
  n: number;
  renewed: number;
  folds: number;
  seed: number;
  l2: number;
  /** Out-of-fold scores of the model. */
  auc: number | null;
  logLoss: number | null;
  brier: number | null;
  calibration: ReliabilityBin[];
  baseline: {
    /** Each held-out renewal forecast at its training folds' renewal rate. */
    baseRate: ScoreSet;
    /** The transparent prior, over the rows that carry one; absent when none does. */
    prior?: ScoreSet;
  };
  /** Largest standardized weights of the model fitted on all rows (log-odds per standard deviation). */
  topFactors: { feature: string; weight: number }[];
  featureSpec: FeatureSpec;
  /** The model fitted on every row, for scoring open renewals. */
  model: LogisticModel;
};

export type CrossValidateOptions = {
  rows: readonly ModelRow[];
  folds?: number;
  seed?: number;
  l2?: number;
  featureSpec?: FeatureSpec;
  maxLevels?: number;
  maxIterations?: number;
  topFactorCount?: number;
};

export function crossValidate({
  rows,
  folds = 5,
  seed = 1,
  l2 = DEFAULT_L2,
  featureSpec,
  maxLevels = DEFAULT_MAX_LEVELS,
  maxIterations = DEFAULT_MAX_ITERATIONS,
  topFactorCount = 10,
}: CrossValidateOptions): CrossValidation {
  checkL2(l2);
  if (!Number.isInteger(folds) || folds < 2) {
    throw new ForecastError('invalid_input', `folds must be an integer of at least 2, got ${folds}`);
  }
  const labels = checkRows(rows);
  const renewed = labels.reduce((sum, label) => sum + label, 0);
  const notRenewed = rows.length - renewed;
  if (rows.length < folds || renewed < 2 || notRenewed < 2) {
    throw new ForecastError(
      'insufficient_history',
      `cross-validation needs at least ${folds} closed renewals with at least 2 renewed and 2 not renewed; ` +
        `got ${rows.length} (${renewed} renewed, ${notRenewed} not)`,
    );
  }
  const spec = featureSpec ?? inferFeatureSpec(rows, { maxLevels });
  const raw = encodeRaw(spec, rows);
  const assignment = assignFolds(labels, folds, seed);
  const predicted = new Float64Array(rows.length);
  const baseRatePredicted = new Float64Array(rows.length);
  for (let fold = 0; fold < folds; fold++) {
    const train: number[] = [];
    const test: number[] = [];
    for (let i = 0; i < rows.length; i++) (assignment[i] === fold ? test : train).push(i);
    if (test.length === 0) continue;
    const model = fitEncoded(spec, raw, labels, Int32Array.from(train), l2, maxIterations);
    for (const i of test) {
      predicted[i] = predictEncoded(model, raw, i);
      baseRatePredicted[i] = model.baseRate;
    }
  }
  const everyRow = Int32Array.from({ length: rows.length }, (_, i) => i);
  const model = fitEncoded(spec, raw, labels, everyRow, l2, maxIterations);

  const priorIndices = rows.flatMap((row, i) =>
    typeof row.prior === 'number' && row.prior >= 0 && row.prior <= 1 ? [i] : [],
  );
  const priorScores = (): ScoreSet => {
    const p = priorIndices.map((i) => rows[i]?.prior as number);
    const y = priorIndices.map((i) => labels[i] as number);
    return { n: p.length, auc: auc(p, y), logLoss: logLoss(p, y), brier: brierScore(p, y) };
  };

  const order = model.columns
    .map((column, j) => ({ feature: column.label, weight: model.weights[j] as number }))
    .sort(
      (a, b) =>
        Math.abs(b.weight) - Math.abs(a.weight) ||
        (a.feature < b.feature ? -1 : a.feature > b.feature ? 1 : 0),
    );

  return {
    n: rows.length,
    renewed,
    folds,
    seed,
    l2,
    auc: auc(predicted, labels),
    logLoss: logLoss(predicted, labels),
    brier: brierScore(predicted, labels),
    calibration: reliabilityBins(predicted, labels, 10),
    baseline: {
      baseRate: {
        n: rows.length,
        auc: auc(baseRatePredicted, labels),
        logLoss: logLoss(baseRatePredicted, labels),
        brier: brierScore(baseRatePredicted, labels),
      },
      ...(priorIndices.length > 0 ? { prior: priorScores() } : {}),
    },
    topFactors: order.slice(0, topFactorCount),
    featureSpec: spec,
    model,
  };
}
