package io.tessera.featurestore.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.featurestore.spec.Fingerprint;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

public class ControlMessageCodecTest {

    /** A view as tests of other packages need one. */
    public static PublishedView view(long version, Optional<ChampionRef> champion) {
        return new PublishedView("card_fraud", version, new SnapshotRef(123456789L, 17, 1_700_000_000_000L), new ServingCut(2, 41),
                1_699_999_000_000L, champion, champion.isPresent() ? Optional.empty() : Optional.of("no champion fits"),
                Fingerprint.of("spec"), Fingerprint.of("plan"), Fingerprint.of("layout"), List.of("n_1h", "category=a", "category=b"),
                Map.of("category", List.of("a", "b")), 879, 1_700_000_100_000L);
    }

    @Test
    void aPublishedViewSurvivesTheRoundTripWithOrWithoutAChampion() {
        for (Optional<ChampionRef> champion : List.of(Optional.of(new ChampionRef("card_fraud", 3, "/lake/models/v3/model.json", "ab12")),
                Optional.<ChampionRef>empty())) {
            ControlMessage message = new ControlMessage.ViewPublished(view(5, champion));

            String json = ControlMessageCodec.toJson(message);

            assertThat(json).startsWith("{\"format\":\"tessera-control/1\",\"type\":\"view_published\"");
            assertThat(ControlMessageCodec.parse(json)).isEqualTo(message);
            assertThat(message.key()).isEqualTo("view-5");
        }
    }

    @Test
    void anUnreadableMessageIsRefusedWithWhatIsWrong() {
        String good = ControlMessageCodec.toJson(new ControlMessage.ViewPublished(view(5, Optional.empty())));

        assertThatThrownBy(() -> ControlMessageCodec.parse("not json")).hasMessageStartingWith("control message is not JSON");
        assertThatThrownBy(() -> ControlMessageCodec.parse("[1]")).hasMessage("control message is not a JSON object");
        assertThatThrownBy(() -> ControlMessageCodec.parse(good.replace("tessera-control/1", "tessera-control/3")))
                .hasMessageContaining("unsupported control message format 'tessera-control/3'");
        assertThatThrownBy(() -> ControlMessageCodec.parse(good.replace("view_published", "lunch_served")))
                .hasMessage("unknown control message type 'lunch_served'");
        assertThatThrownBy(() -> ControlMessageCodec.parse(good.replace("\"generation\":2", "\"generation\":\"2\"")))
                .hasMessage("'cut.generation' must be a whole number, got \"2\"");
        assertThatThrownBy(() -> ControlMessageCodec.parse(good.replace("\"cutoff\":1699999000000,", "")))
                .hasMessage("control message has no 'cutoff'");
        assertThatThrownBy(() -> ControlMessageCodec.parse(good.replace("\"view_version\":5", "\"view_version\":0")))
                .hasMessageContaining("invalid view_published message: view versions start at 1");
    }

    private static final ChampionRef CHALLENGER = new ChampionRef("card_fraud", 4, "/lake/models/v4/model.json", "cd34");

    @Test
    void aViewPublishedWrittenAsFormat2IsReadAlike() {
        ControlMessage message = new ControlMessage.ViewPublished(view(5, Optional.empty()));
        String json = ControlMessageCodec.toJson(message).replace("tessera-control/1", "tessera-control/2");

        assertThat(ControlMessageCodec.parse(json)).isEqualTo(message);
    }

    @Test
    void challengerChangesSurviveTheRoundTripInFormat2() {
        List<ControlMessage.ChallengerChange> changes = List.of(
                new ControlMessage.ChallengerSet(new ChallengerAssignment("card_fraud", 1, CHALLENGER, ChallengerAssignment.Mode.AB, 0.1,
                        "v4 beat v3 on recall offline", 1_700_000_200_000L)),
                new ControlMessage.ChallengerSet(ChallengerAssignment.shadow("card_fraud", 2, CHALLENGER, "watch it on all keys",
                        1_700_000_300_000L)),
                new ControlMessage.ChallengerCleared("card_fraud", 3, "enough data", 1_700_000_400_000L));
        for (ControlMessage.ChallengerChange change : changes) {
            String json = ControlMessageCodec.toJson(change);

            assertThat(json).startsWith("{\"format\":\"tessera-control/2\",\"type\":\"challenger_");
            assertThat(ControlMessageCodec.parse(json)).isEqualTo(change);
            assertThat(ControlMessageCodec.challengerFromJson(json)).isEqualTo(change);
            assertThat(change.key()).isEqualTo("challenger-" + change.revision());
        }
        assertThat(ControlMessageCodec.toJson(changes.get(0))).contains("\"mode\":\"ab\",\"share\":0.1,");
        assertThat(changes.get(2).assignment()).isEmpty();
    }

    @Test
    void aMalformedChallengerMessageIsRefusedWithWhatIsWrong() {
        String set = ControlMessageCodec.toJson(new ControlMessage.ChallengerSet(new ChallengerAssignment("card_fraud", 7, CHALLENGER,
                ChallengerAssignment.Mode.AB, 0.25, "try it", 1_700_000_200_000L)));
        String cleared = ControlMessageCodec.toJson(new ControlMessage.ChallengerCleared("card_fraud", 8, "done", 1L));

        assertThatThrownBy(() -> ControlMessageCodec.parse(set.replace("tessera-control/2", "tessera-control/1")))
                .hasMessage("a challenger_set message is of format tessera-control/2, not tessera-control/1");
        assertThatThrownBy(() -> ControlMessageCodec.parse(set.replace("\"ab\"", "\"canary\"")))
                .hasMessage("'mode' must be shadow or ab, got 'canary'");
        assertThatThrownBy(() -> ControlMessageCodec.parse(set.replace("0.25", "1.5")))
                .hasMessage("invalid challenger_set message: an A/B challenger's share is a fraction of keys in (0, 1], got 1.5");
        assertThatThrownBy(() -> ControlMessageCodec.parse(set.replace("0.25", "\"0.25\"")))
                .hasMessage("'share' must be a number, got \"0.25\"");
        assertThatThrownBy(() -> ControlMessageCodec.parse(set.replace("\"ab\"", "\"shadow\"")))
                .hasMessageContaining("a shadow challenger scores every key: its share is 1, got 0.25");
        assertThatThrownBy(() -> ControlMessageCodec.parse(set.replace("\"checksum\":\"cd34\"", "\"checksum\":null")))
                .hasMessage("control message has no 'model.checksum'");
        assertThatThrownBy(() -> ControlMessageCodec.parse(set.replace("\"revision\":7", "\"revision\":0")))
                .hasMessage("invalid challenger_set message: challenger revisions start at 1, got 0");
        assertThatThrownBy(() -> ControlMessageCodec.parse(cleared.replace("\"reason\":\"done\",", "")))
                .hasMessage("control message has no 'reason'");
        assertThatThrownBy(() -> ControlMessageCodec.parse(cleared.replace("\"done\"", "\" \"")))
                .hasMessage("invalid challenger_cleared message: a challenger is cleared with a reason");
        assertThatThrownBy(() -> ControlMessageCodec.challengerFromJson(ControlMessageCodec.toJson(
                new ControlMessage.ViewPublished(view(5, Optional.empty()))))).hasMessage("expected a challenger_set or challenger_cleared message");
    }

    @Test
    void anAssignmentIsValidatedWithPreciseMessages() {
        assertThatThrownBy(() -> new ChallengerAssignment("card_fraud", 1, CHALLENGER, ChallengerAssignment.Mode.AB, 0, "r", 1))
                .hasMessage("an A/B challenger's share is a fraction of keys in (0, 1], got 0.0");
        assertThatThrownBy(() -> new ChallengerAssignment("card_fraud", 1, CHALLENGER, ChallengerAssignment.Mode.AB, Double.NaN, "r", 1))
                .hasMessage("an A/B challenger's share is a fraction of keys in (0, 1], got NaN");
        assertThatThrownBy(() -> new ChallengerAssignment("card_fraud", 1, CHALLENGER, ChallengerAssignment.Mode.SHADOW, 0.5, "r", 1))
                .hasMessage("a shadow challenger scores every key: its share is 1, got 0.5 (for a share of keys, use mode ab)");
        assertThatThrownBy(() -> new ChallengerAssignment("ride_eta", 1, CHALLENGER, ChallengerAssignment.Mode.AB, 0.5, "r", 1))
                .hasMessage("challenger card_fraud v4 is a model of pipeline card_fraud, not of ride_eta");
        assertThatThrownBy(() -> new ChallengerAssignment("card_fraud", 1, CHALLENGER, ChallengerAssignment.Mode.AB, 0.5, "", 1))
                .hasMessage("a challenger is set with a reason");
        assertThat(ChallengerAssignment.shadow("card_fraud", 1, CHALLENGER, "r", 1).scores("any key")).isTrue();
    }
}
