package hmn.runtime.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/** ONNX Runtime sessions as hmn runs its models: one inter-op thread, idle intra-op threads sleeping, not spinning. */
final class Sessions {
    private Sessions() {}

    /** A session of {@code model} (serialised ONNX) with {@code threads} intra-op threads (0 = one per core). */
    static OrtSession create(OrtEnvironment env, byte[] model, int threads) throws OrtException {
        try (OrtSession.SessionOptions options = options(threads)) {
            return env.createSession(model, options);
        }
    }

    /** The options of {@link #create}, for a caller that opens a session otherwise (e.g. by a file's path). */
    static OrtSession.SessionOptions options(int threads) throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        if (threads > 0) {
            options.setIntraOpNumThreads(threads);
        }
        options.setInterOpNumThreads(1);
        // idle compute threads sleep rather than spin, leaving the cores to the image decoders
        options.addConfigEntry("session.intra_op.allow_spinning", "0");
        return options;
    }

    /** Closes {@code session}, ignoring a failure (used after an earlier error, which is the one to report). */
    static void closeQuietly(OrtSession session) {
        try {
            session.close();
        } catch (OrtException e) {
            // the first error is the one to report
        }
    }
}
