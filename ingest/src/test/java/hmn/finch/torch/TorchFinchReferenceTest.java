package hmn.finch.torch;

import hmn.finch.DotKernel;
import hmn.finch.FinchReferenceContract;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Tag;

/** libtorch's kernel gives the reference partitions, on every fixture (core tests the Java kernel). */
@Tag("parity")
class TorchFinchReferenceTest extends FinchReferenceContract {
    @Override
    protected Supplier<DotKernel> kernel() {
        return TorchDotKernel::start;
    }

    @Override
    protected List<String> fixtures() {
        return List.of("iris", "wine", "gmm5k");
    }
}
