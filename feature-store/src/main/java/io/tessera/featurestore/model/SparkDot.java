package io.tessera.featurestore.model;

/**
 * The dot product exactly as Spark computes it for dense vectors on the JVM: dev.ludovic.netlib's
 * {@code Java11BLAS.ddot}, the BLAS Spark uses when no native library is installed (Spark's
 * {@code BLAS.nativeBLAS} and {@code javaBLAS} both fall back to it). Four FMA accumulators over the
 * blocks of four, added together, then FMA over the rest. Reproducing its rounding, not just its value,
 * is what makes our margins equal Spark's bit for bit there; with native BLAS or sparse vectors Spark
 * itself rounds differently, by about 1e-16 relative.
 */
final class SparkDot {

    private SparkDot() {
    }

    static double dot(double[] x, double[] y, int n) {
        int bound = n - n % 4;
        double sum0 = 0.0;
        double sum1 = 0.0;
        double sum2 = 0.0;
        double sum3 = 0.0;
        int i = 0;
        for (; i < bound; i += 4) {
            sum0 = Math.fma(x[i], y[i], sum0);
            sum1 = Math.fma(x[i + 1], y[i + 1], sum1);
            sum2 = Math.fma(x[i + 2], y[i + 2], sum2);
            sum3 = Math.fma(x[i + 3], y[i + 3], sum3);
        }
        double sum = 0.0;
        sum += sum0 + sum1 + sum2 + sum3;
        for (; i < n; i++) {
            sum = Math.fma(x[i], y[i], sum);
        }
        return sum;
    }
}
