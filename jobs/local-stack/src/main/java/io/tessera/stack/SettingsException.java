package io.tessera.stack;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.tessera.featurestore.spec.Suggestion;

/** Settings that cannot be used: unknown keys and values not of their setting's kind, every one named with where it came from. */
public final class SettingsException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;
    private static final List<String> KEYS = Arrays.stream(Setting.values()).map(Setting::key).toList();

    private SettingsException(List<String> problems) {
        super(problems.size() == 1 ? problems.get(0) : problems.size() + " settings are wrong:" + System.lineSeparator() + "  "
                + String.join(System.lineSeparator() + "  ", problems));
    }

    static void check(Map<String, String> values, Map<String, String> sources) {
        List<String> problems = new ArrayList<>();
        values.forEach((key, value) -> {
            Optional<Setting> setting = Setting.byKey(key);
            if (setting.isEmpty()) {
                problems.add("unknown setting '" + key + "' (" + sources.get(key) + ")"
                        + Suggestion.closestTo(key, KEYS).map(near -> ": did you mean '" + near + "'?").orElse("; `platform config show` lists them"));
                return;
            }
            String problem = value.isEmpty() ? null : setting.get().problem(value);
            if (problem != null) {
                problems.add("setting " + key + "=" + value + " (" + sources.get(key) + ") " + problem);
            }
        });
        if (!problems.isEmpty()) {
            throw new SettingsException(problems);
        }
    }
}
