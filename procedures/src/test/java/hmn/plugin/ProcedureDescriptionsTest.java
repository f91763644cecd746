package hmn.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import hmn.MaterializeProcedure;
import hmn.cluster.ClusterProcedures;
import hmn.neuron.NeuronProcedures;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.neo4j.procedure.Description;
import org.neo4j.procedure.Name;
import org.neo4j.procedure.Procedure;

/** Every hmn procedure documents itself and each of its arguments, and lives in the package of its namespace. */
class ProcedureDescriptionsTest {

    static final List<Class<?>> PROCEDURES =
            List.of(ClusterProcedures.class, NeuronProcedures.class, MaterializeProcedure.class);

    static List<Method> procedures() {
        List<Method> methods = new ArrayList<>();
        for (Class<?> type : PROCEDURES) {
            for (Method method : type.getDeclaredMethods()) {
                if (method.isAnnotationPresent(Procedure.class)) {
                    methods.add(method);
                }
            }
        }
        return methods;
    }

    @Test
    void should_have_the_contract_procedures() {
        assertThat(procedures())
                .extracting(m -> m.getAnnotation(Procedure.class).name())
                .containsExactlyInAnyOrder(
                        "hmn.cluster.sharedNeurons",
                        "hmn.cluster.differenceNeurons",
                        "hmn.cluster.compare",
                        "hmn.cluster.stats",
                        "hmn.cluster.validity",
                        "hmn.neuron.concepts",
                        "hmn.neuron.topImages",
                        "hmn.materialize");
    }

    @Test
    void should_describe_every_procedure() {
        for (Method method : procedures()) {
            Description description = method.getAnnotation(Description.class);
            assertThat(description).as("@Description of %s", method).isNotNull();
            assertThat(description.value()).as("@Description of %s", method).isNotBlank();
        }
    }

    @Test
    void should_name_and_describe_every_argument() {
        for (Method method : procedures()) {
            for (Parameter parameter : method.getParameters()) {
                Name name = parameter.getAnnotation(Name.class);
                assertThat(name).as("@Name of %s in %s", parameter, method).isNotNull();
                assertThat(name.description())
                        .as("description of %s in %s", name.value(), method)
                        .isNotBlank();
            }
        }
    }

    @Test
    void should_live_in_the_package_of_the_namespace() {
        for (Method method : procedures()) {
            String name = method.getAnnotation(Procedure.class).name();
            String namespace = name.substring(0, name.lastIndexOf('.'));
            assertThat(method.getDeclaringClass().getPackageName()).as(name).isEqualTo(namespace);
        }
    }
}
