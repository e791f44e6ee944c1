package io.tessera.featurestore.vector;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.featurestore.ExampleFiles;
import io.tessera.featurestore.event.DecodeResult;
import io.tessera.featurestore.event.Event;
import io.tessera.featurestore.event.EventDecoder;
import io.tessera.featurestore.event.RecordParser;
import io.tessera.featurestore.spec.EventFeatureSpec;
import io.tessera.featurestore.spec.Encoding;
import io.tessera.featurestore.spec.PipelineSpec;
import io.tessera.featurestore.spec.PipelineSpecs;
import io.tessera.featurestore.spec.Task;
import io.tessera.featurestore.tile.EntityTiles;
import io.tessera.featurestore.tile.FeaturePlan;
import io.tessera.featurestore.time.Admission;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The examples under {@code examples/}: each spec validates, each data file decodes completely under its
 * spec, and replaying the data through the tiles (as the speed layer would, one key at a time, sealing
 * as the watermark moves) scores every event with the vector the oracle computes from raw events.
 */
class ExamplesTest extends FeatureVectorTestBase {

    @ParameterizedTest
    @CsvSource({"card_fraud, transactions.csv, 5116, 879", "ride_eta, trips.csv, 2500, 12"})
    void specValidatesDataDecodesAndEveryScoreMatchesTheOracle(String example, String data, int rows, int keys) throws IOException {
        PipelineSpec spec = PipelineSpecs.load(ExampleFiles.example(example, "pipeline.yaml"));
        List<Event> events = decodeAll(spec, example, data);
        assertThat(events).hasSize(rows);
        Map<Object, List<Event>> byKey = events.stream()
                .collect(Collectors.groupingBy(e -> e.get(spec.entity().key()), LinkedHashMap::new, Collectors.toList()));
        assertThat(byKey).hasSize(keys);

        FeaturePlan plan = FeaturePlan.of(spec);
        FeatureLayout layout = FeatureLayout.of(spec, learnedVocabularies(spec, events));
        for (List<Event> keyEvents : byKey.values()) {
            EntityTiles tiles = plan.newEntity();
            List<Event> seen = new ArrayList<>();
            for (Event e : keyEvents) {
                double[] vector = layout.assemble(tiles, e.time(), e);
                assertVectorMatchesOracle(spec, layout, vector, seen, e.time(), e);
                assertThat(plan.add(tiles, e)).isEqualTo(Admission.ACCEPTED);
                seen.add(e);
                plan.maintain(tiles, tiles.watermark());
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"card_fraud, transactions.csv", "ride_eta, trips.csv"})
    void theDataMatchesWhatItsReadmeSays(String example, String data) throws IOException {
        PipelineSpec spec = PipelineSpecs.load(ExampleFiles.example(example, "pipeline.yaml"));
        List<Event> events = decodeAll(spec, example, data);
        String readme = Files.readString(ExampleFiles.example(example, "README.md"));

        if (spec.model().task() == Task.BINARY_CLASSIFICATION) {
            long positives = events.stream().filter(e -> e.number(spec.label().field()) == 1.0).count();
            assertThat(readme).contains(positives + " labelled fraud");
        }
        assertThat(readme).contains(String.format(java.util.Locale.ROOT, "%,d", events.size()));
    }

    /** Reads the file the way an engine reads a topic: record by record, through RecordParser. */
    private static List<Event> decodeAll(PipelineSpec spec, String example, String data) throws IOException {
        EventDecoder decoder = EventDecoder.of(spec);
        List<String> lines = Files.readAllLines(ExampleFiles.example(example, data));
        RecordParser parser = new RecordParser(spec.source().format(), RecordParser.csvHeader(lines.get(0)));
        List<Event> events = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            DecodeResult result = decoder.decode(parser.parse(line));
            assertThat(result).as("record %s", line).isInstanceOf(DecodeResult.Accepted.class);
            events.add(((DecodeResult.Accepted) result).event());
        }
        return events;
    }

    /** What the batch layer does at training time for one_hot features without fixed categories. */
    private static Map<String, List<String>> learnedVocabularies(PipelineSpec spec, List<Event> events) {
        Map<String, List<String>> vocabularies = new HashMap<>();
        for (EventFeatureSpec feature : spec.features().event()) {
            if (feature.encode() == Encoding.ONE_HOT && feature.categories().isEmpty()) {
                Map<String, Long> counts = events.stream()
                        .collect(Collectors.groupingBy(e -> e.text(feature.of()), TreeMap::new, Collectors.counting()));
                vocabularies.put(feature.name(), Vocabulary.learn(counts, feature.maxCategories()));
            }
        }
        return vocabularies;
    }
}
