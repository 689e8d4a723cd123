/** Robust statistics shared by the forecast and the anomaly detector. */

/** The middle value (mean of the two middle values for an even count); 0 for no values. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Median absolute deviation from the median. Times 1.4826 it estimates a normal's sd. */
export function medianAbsoluteDeviation(values: readonly number[]): number {
  const m = median(values);
  return median(values.map((v) => Math.abs(v - m)));
}

/** Theil-Sen slope: the median of pairwise slopes, which a few spikes cannot drag far. */
export function theilSenSlope(values: readonly number[]): number {
  const slopes: number[] = [];
  for (let i = 0; i < values.length; i++) {
    for (let j = i + 1; j < values.length; j++) slopes.push((values[j] - values[i]) / (j - i));
  }
  return median(slopes);
}

/**
 * Day-to-day noise from first differences: a trend only shifts them and a step change makes a
 * single outlier, so neither inflates the estimate the way residuals from a wrong fit would.
 */
export function noiseSigma(values: readonly number[]): number {
  if (values.length < 3) return 0;
  const diffs = values.slice(1).map((v, i) => v - values[i]);
  const robust = (1.4826 * medianAbsoluteDeviation(diffs)) / Math.SQRT2;
  const m = diffs.reduce((a, d) => a + d, 0) / diffs.length;
  const rms = Math.sqrt(diffs.reduce((a, d) => a + (d - m) ** 2, 0) / diffs.length) / Math.SQRT2;
  // Sparse series (mostly zero days) have a MAD of 0: half the RMS keeps the noise honest.
  return Math.max(robust, 0.5 * rms);
}
