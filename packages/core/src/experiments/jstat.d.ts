/** The part of jStat (which ships no types) the experiments use. */
declare module 'jstat' {
  interface StudentT {
    cdf(x: number, dof: number): number;
    inv(p: number, dof: number): number;
  }
  const jstat: { jStat: { studentt: StudentT } };
  export default jstat;
}
