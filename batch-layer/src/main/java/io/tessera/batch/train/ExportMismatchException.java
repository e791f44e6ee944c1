package io.tessera.batch.train;

import java.util.Arrays;

/**
 * The portable export of a model does not score the holdout as Spark does: publishing it would make
 * the speed layer disagree with the batch layer. Names the worst row so the difference can be replayed.
 */
public class ExportMismatchException extends RuntimeException {

    private final int row;
    private final double sparkScore;
    private final double exportScore;
    private final double[] features;
    private final int mismatchedRows;

    ExportMismatchException(String model, int row, double sparkScore, double exportScore, double[] features,
                            int mismatchedRows, int rows) {
        super("the export of " + model + " disagrees with Spark on " + mismatchedRows + " of " + rows
                + " holdout rows; worst is row " + row + ": Spark " + sparkScore + ", export " + exportScore
                + " (difference " + Math.abs(sparkScore - exportScore) + ", tolerance "
                + ExportCheck.TOLERANCE + " × max(1, |Spark|)), features " + Arrays.toString(features));
        this.row = row;
        this.sparkScore = sparkScore;
        this.exportScore = exportScore;
        this.features = features.clone();
        this.mismatchedRows = mismatchedRows;
    }

    /** Index of the worst row in the {@link ScoredHoldout}. */
    public int row() {
        return row;
    }

    public double sparkScore() {
        return sparkScore;
    }

    public double exportScore() {
        return exportScore;
    }

    /** |Spark − export| at the worst row (NaN if exactly one of them is NaN). */
    public double difference() {
        return Math.abs(sparkScore - exportScore);
    }

    public double[] features() {
        return features.clone();
    }

    public int mismatchedRows() {
        return mismatchedRows;
    }
}
