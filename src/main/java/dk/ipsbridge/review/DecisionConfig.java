package dk.ipsbridge.review;

import java.time.Period;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import dk.ipsbridge.caserecord.CaseRecordTranslator;
import dk.ipsbridge.config.IpsProperties;
import dk.ipsbridge.config.JobcenterDirectory;
import dk.ipsbridge.consent.ConsentGate;
import dk.ipsbridge.consent.SourceAgreement;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The one consent gate and the one translator, shared by the review, the delivery check and the preview. */
@Configuration(proxyBeanMethods = false)
class DecisionConfig {

    /** The gate, with each source's agreements: the jobcenters it may send to, and its consents' maximum age. */
    @Bean
    ConsentGate consentGate(JobcenterDirectory directory, IpsProperties properties) {
        Period maxAge = properties.consent().maxAge();
        Map<String, SourceAgreement> agreements = new HashMap<>();
        for (IpsProperties.Source source : properties.sources()) {
            agreements.put(source.id(), new SourceAgreement(source.jobcenters().isEmpty() ? null
                    : Set.copyOf(source.jobcenters()), source.consentMaxAge() == null ? maxAge
                            : source.consentMaxAge()));
        }
        return new ConsentGate(directory::jobcenterFor, SourceAgreement.all(maxAge), agreements);
    }

    @Bean
    CaseRecordTranslator caseRecordTranslator(IpsProperties properties) {
        return new CaseRecordTranslator(properties.region(), properties.sources().stream()
                .collect(Collectors.toMap(IpsProperties.Source::id, IpsProperties.Source::programme, (a, b) -> a)));
    }
}
