package io.tessera.batch.train;

/**
 * A training set the trainer cannot learn from honestly: missing or mistyped columns, nulls, vectors of
 * the wrong length, labels that are not 0/1 for a classifier, a single class in the training part, or a
 * time range that cannot be split into a training part and a holdout. Thrown before anything is fitted,
 * so a failed retrain leaves the champion serving.
 */
public class TrainingSetException extends IllegalArgumentException {

    public TrainingSetException(String message) {
        super(message);
    }
}
