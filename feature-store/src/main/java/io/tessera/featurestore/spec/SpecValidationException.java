package io.tessera.featurestore.spec;

import java.util.List;
import java.util.stream.Collectors;

/** A spec that failed validation; {@link #problems()} lists every problem found, in document order. */
public class SpecValidationException extends RuntimeException {

    private final transient List<SpecProblem> problems;

    public SpecValidationException(String sourceName, List<SpecProblem> problems) {
        super(sourceName + ": " + problems.size() + (problems.size() == 1 ? " problem" : " problems") + "\n"
                + problems.stream().map(p -> "  " + p).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<SpecProblem> problems() {
        return problems;
    }
}
