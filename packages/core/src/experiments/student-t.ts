/**
 * Student's t distribution for the intervals of an experiment's comparison, from jStat (its CDF
 * through the regularized incomplete beta function, its quantile through that function's inverse).
 * Non-integer degrees of freedom are allowed, as Welch's approximation gives them.
 */
import jstat from 'jstat';

/**
 * P(T <= t) for Student's t with `df` degrees of freedom.
 * @example studentTCdf(0, 7) // 0.5
 */
export function studentTCdf(t: number, df: number): number {
  return jstat.jStat.studentt.cdf(t, df);
}

/**
 * The value below which a share `p` of Student's t with `df` degrees of freedom lies.
 * @example studentTQuantile(0.975, 10) // 2.228138842468655
 */
export function studentTQuantile(p: number, df: number): number {
  return jstat.jStat.studentt.inv(p, df);
}
