package hmn.captions.blip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import hmn.core.BadInputException;
import org.junit.jupiter.api.Test;

class BlipConfigTest {
    static BlipConfig parse(String json) throws Exception {
        return BlipConfig.parse(new ObjectMapper().readTree(json), "config.json");
    }

    @Test
    void should_take_hugging_face_defaults_for_absent_keys() throws Exception {
        BlipConfig c = parse("{\"vision_config\": {}, \"text_config\": {\"num_attention_heads\": 12}}");
        assertThat(c.vision()).isEqualTo(new BlipConfig.Vision(768, 3072, 12, 12, 384, 16, 3, 1e-5, "gelu"));
        assertThat(c.vision().positions()).isEqualTo(577);
        assertThat(c.text())
                .isEqualTo(
                        new BlipConfig.Text(30524, 768, 768, 3072, 12, 12, 512, 1e-12, "gelu", 30522, 102, 0, 20, 1));
    }

    @Test
    void should_read_the_large_checkpoint_sizes() throws Exception {
        BlipConfig c = parse("{\"vision_config\": {\"hidden_size\": 1024, \"num_hidden_layers\": 24,"
                + " \"num_attention_heads\": 16, \"intermediate_size\": 4096},"
                + " \"text_config\": {\"encoder_hidden_size\": 1024, \"num_attention_heads\": 12}}");
        assertThat(c.vision().hiddenSize()).isEqualTo(1024);
        assertThat(c.text().encoderHiddenSize()).isEqualTo(1024);
        assertThat(BlipWeights.expected(c).get("text_decoder.bert.encoder.layer.0.crossattention.self.key.weight"))
                .isEqualTo(new ai.djl.ndarray.types.Shape(768, 1024));
    }

    @Test
    void should_name_the_key_and_value_that_is_wrong() {
        assertThatThrownBy(() -> parse("{\"vision_config\": {\"hidden_size\": 100, \"num_attention_heads\": 12}}"))
                .isInstanceOf(BadInputException.class)
                .hasMessage("config.json: vision_config.hidden_size 100 must be a multiple of num_attention_heads 12");
        assertThatThrownBy(() -> parse("{\"text_config\": {\"hidden_act\": \"relu\"}}"))
                .isInstanceOf(BadInputException.class)
                .hasMessage("config.json: text_config.hidden_act must be \"gelu\" (the activation BLIP uses), got "
                        + "\"relu\"");
        assertThatThrownBy(() -> parse("[]"))
                .isInstanceOf(BadInputException.class)
                .hasMessage("config.json is not a JSON object");
    }
}
