package io.tessera.featurestore.spec;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/**
 * "Did you mean" for misspelt names: the closest candidate by edit distance, if it is close enough to be
 * a plausible typo (at most half the longer name's length and at most 3 edits), or if one name contains
 * the other ({@code classification} in {@code binary_classification}).
 */
public final class Suggestion {

    private Suggestion() {
    }

    public static Optional<String> closestTo(String name, Collection<String> candidates) {
        String lower = name.toLowerCase();
        return candidates.stream()
                .filter(c -> !c.equals(name))
                .map(c -> new Scored(c, distance(lower, c.toLowerCase())))
                .filter(s -> plausible(lower, s.candidate.toLowerCase(), s.distance))
                .min(Comparator.comparingInt(Scored::distance).thenComparing(Scored::candidate))
                .map(Scored::candidate);
    }

    private static boolean plausible(String name, String candidate, int distance) {
        int limit = Math.min(3, Math.max(1, Math.max(name.length(), candidate.length()) / 2));
        boolean contained = Math.min(name.length(), candidate.length()) >= 3
                && (candidate.contains(name) || name.contains(candidate));
        return distance <= limit || contained;
    }

    private record Scored(String candidate, int distance) {
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
