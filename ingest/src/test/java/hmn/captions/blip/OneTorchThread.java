package hmn.captions.blip;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a test class with one PyTorch thread and restores the previous count afterwards. The tiny model's operations
 * are too small to gain from threads, and on a busy machine spinning threads make them many times slower.
 */
final class OneTorchThread implements BeforeAllCallback, AfterAllCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(OneTorchThread.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getStore(NS).put("previous", BlipCaptioner.setThreads(1));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        Integer previous = context.getStore(NS).get("previous", Integer.class);
        if (previous != null) {
            BlipCaptioner.setThreads(previous);
        }
    }
}
