package hmn.runtime.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import hmn.runtime.onnx.OnnxGraphBuilder.Attribute;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ONNX writer, read back by ONNX Runtime and by hmn's own ONNX reader. */
class OnnxGraphBuilderTest {
    @Test
    void should_write_a_model_that_onnx_runtime_runs() throws Exception {
        // given: y = relu(x W^T + b) with a symbolic batch size
        OnnxGraphBuilder g = new OnnxGraphBuilder("tiny").input("x", "N", 2L);
        String w = g.initializer("w", new long[] {3, 2}, new float[] {1, 0, 0, 1, 1, -1});
        String b = g.initializer("b", new long[] {3}, new float[] {0, 0, -10});
        g.node("Relu", List.of(g.node("Gemm", List.of("x", w, b), "xw", Attribute.of("transB", 1))), "y");
        byte[] model = g.output("y", "N", 3L).toModel();
        OrtEnvironment env = OrtEnvironment.getEnvironment();

        // when
        float[][] y;
        try (OrtSession session = env.createSession(model, new OrtSession.SessionOptions());
                OnnxTensor x =
                        OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[] {2, -3, 5, 1}), new long[] {2, 2});
                OrtSession.Result result = session.run(Map.of("x", x))) {
            y = (float[][]) result.get(0).getValue();
        }

        // then
        assertThat(y[0]).containsExactly(2, 0, 0);
        assertThat(y[1]).containsExactly(5, 1, 0);
        OnnxGraph read = OnnxGraph.parse(model);
        assertThat(read.inputs()).containsExactly("x");
        assertThat(read.outputs()).containsExactly("y");
        assertThat(read.intermediates()).containsExactly("xw");
    }

    @Test
    void should_write_int64_constants_float_attributes_and_a_later_opset() throws Exception {
        // given: x (2 x 3) reshaped to (3 x 2) by an int64 shape, row 1 taken by a scalar index, then layer-normed
        // with a float epsilon (LayerNormalization needs opset 17)
        OnnxGraphBuilder g = new OnnxGraphBuilder("opset17", 17).input("x", 2L, 3L);
        String reshaped = g.node("Reshape", List.of("x", g.longs("shape", 3, -1)), "reshaped");
        String row = g.node("Gather", List.of(reshaped, g.scalar("one", 1)), "row", Attribute.of("axis", 0));
        g.node(
                "LayerNormalization",
                List.of(
                        row,
                        g.initializer("scale", new long[] {2}, new float[] {1, 1}),
                        g.initializer("shift", new long[] {2}, new float[] {0, 10})),
                "y",
                Attribute.real("epsilon", 3f));
        byte[] model = g.output("y", 2L).toModel();
        OrtEnvironment env = OrtEnvironment.getEnvironment();

        // when
        float[] y;
        try (OrtSession session = env.createSession(model, new OrtSession.SessionOptions());
                OnnxTensor x = OnnxTensor.createTensor(
                        env, FloatBuffer.wrap(new float[] {0, 1, 2, 4, 4, 5}), new long[] {2, 3});
                OrtSession.Result result = session.run(Map.of("x", x))) {
            y = (float[]) result.get(0).getValue();
        }

        // then: row (2, 4) has mean 3 and variance 1; with epsilon 3 its norm divides by 2
        assertThat(y).containsExactly(new float[] {-0.5f, 10.5f}, org.assertj.core.api.Assertions.within(1e-6f));
    }

    @Test
    void should_refuse_a_node_reading_an_undefined_value_or_a_name_defined_twice() {
        OnnxGraphBuilder g = new OnnxGraphBuilder("bad").input("x", 1L);

        assertThatThrownBy(() -> g.node("Relu", List.of("z"), "y")).hasMessage("Relu -> y reads 'z', not defined yet");
        assertThatThrownBy(() -> g.node("Relu", List.of("x"), "x")).hasMessage("'x' is defined twice");
        assertThatThrownBy(() -> g.initializer("w", new long[] {2, 2}, new float[3]))
                .hasMessage("w: 3 values for 4 elements");
        assertThatThrownBy(() -> g.output("q", 1L)).hasMessage("output 'q' is not computed by the graph");
    }
}
