package io.tessera.featurestore.spec;

/**
 * One thing wrong with a spec.
 *
 * @param path where in the document, {@code features.aggregations[3].of}; empty for the document itself
 * @param line 1-based
 * @param column 1-based
 */
public record SpecProblem(String path, int line, int column, String message) implements Comparable<SpecProblem> {

    /** {@code <path> (line L, column C): <message>}. */
    @Override
    public String toString() {
        return (path.isEmpty() ? "<document>" : path) + " (line " + line + ", column " + column + "): " + message;
    }

    @Override
    public int compareTo(SpecProblem other) {
        int byLine = Integer.compare(line, other.line);
        if (byLine != 0) {
            return byLine;
        }
        int byColumn = Integer.compare(column, other.column);
        return byColumn != 0 ? byColumn : path.compareTo(other.path);
    }
}
