package hmn.finch;

import java.util.List;
import java.util.function.Supplier;

/** The Java kernel gives the reference partitions (not on gmm5k: plain Java takes tens of seconds there). */
class FinchReferenceTest extends FinchReferenceContract {
    @Override
    protected Supplier<DotKernel> kernel() {
        return JavaDotKernel::new;
    }

    @Override
    protected List<String> fixtures() {
        return List.of("iris", "wine");
    }
}
