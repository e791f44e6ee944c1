package io.tessera.featurestore.spec;

import java.util.ArrayList;
import java.util.List;

/** Collects problems while a spec is read, so that all of them are reported at once. */
final class ProblemCollector {

    private final List<SpecProblem> problems = new ArrayList<>();

    void add(String path, YamlDocument.Position position, String message) {
        problems.add(new SpecProblem(path, position.line(), position.column(), message));
    }

    void add(SpecProblem problem) {
        problems.add(problem);
    }

    boolean isEmpty() {
        return problems.isEmpty();
    }

    /** In document order. */
    List<SpecProblem> sorted() {
        List<SpecProblem> copy = new ArrayList<>(problems);
        copy.sort(null);
        return List.copyOf(copy);
    }
}
