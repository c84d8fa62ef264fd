package dk.ipsbridge.validation;

import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ValidationOptions;

/**
 * Not a test: the heap the border's validator keeps, for the benchmark ({@code dk.ipsbridge.bench.Benchmarks}). Run in
 * a JVM of its own with {@code subset} (the adapter's: {@link CoreSubset}) or {@code full} (HAPI's whole R4 core);
 * prints one line: {@code <which> <retained MB> <build and first validation ms>}, the retained heap being the heap in
 * use after a full GC once the validator is built and has validated the resources of one patient in every IPS role,
 * less the heap in use before (with the FhirContext already made).
 */
public final class ValidatorHeap {

    private ValidatorHeap() {
    }

    public static void main(String[] args) {
        boolean full = args.length > 0 && args[0].equals("full");
        FhirContext fhir = FhirContext.forR4Cached();
        fhir.newJsonParser().encodeResourceToString(ValidationFixtures.valid().patient());
        long before = usedAfterGc();
        long started = System.nanoTime();
        FhirValidator validator = full ? IpsProfiles.validatorOver(fhir, new DefaultProfileValidationSupport(fhir))
                : IpsProfiles.validator(fhir);
        BorderValidation.roles(ValidationFixtures.valid()).forEach((resource, profile) ->
                validator.validateWithResult(resource, new ValidationOptions().addProfile(profile)));
        long millis = (System.nanoTime() - started) / 1_000_000;
        long retained = usedAfterGc() - before;
        Reference.reachabilityFence(validator);
        System.out.printf("%s %.1f %d%n", full ? "full" : "subset", retained / 1048576.0, millis);
    }

    private static long usedAfterGc() {
        for (int i = 0; i < 3; i++) {
            ManagementFactory.getMemoryMXBean().gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
