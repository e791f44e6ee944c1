package io.tessera.featurestore.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.featurestore.spec.Fingerprint;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ControlMessageCodecTest {

    static PublishedView view(long version, Optional<ChampionRef> champion) {
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
        assertThatThrownBy(() -> ControlMessageCodec.parse(good.replace("tessera-control/1", "tessera-control/2")))
                .hasMessageContaining("unsupported control message format 'tessera-control/2'");
        assertThatThrownBy(() -> ControlMessageCodec.parse(good.replace("view_published", "lunch_served")))
                .hasMessage("unknown control message type 'lunch_served'");
        assertThatThrownBy(() -> ControlMessageCodec.parse(good.replace("\"generation\":2", "\"generation\":\"2\"")))
                .hasMessage("'cut.generation' must be a whole number, got \"2\"");
        assertThatThrownBy(() -> ControlMessageCodec.parse(good.replace("\"cutoff\":1699999000000,", "")))
                .hasMessage("control message has no 'cutoff'");
        assertThatThrownBy(() -> ControlMessageCodec.parse(good.replace("\"view_version\":5", "\"view_version\":0")))
                .hasMessageContaining("invalid view_published message: view versions start at 1");
    }
}
