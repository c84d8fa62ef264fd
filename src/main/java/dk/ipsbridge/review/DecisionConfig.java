package dk.ipsbridge.review;

import dk.ipsbridge.caserecord.CaseRecordTranslator;
import dk.ipsbridge.config.IpsProperties;
import dk.ipsbridge.config.JobcenterDirectory;
import dk.ipsbridge.consent.ConsentGate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The one consent gate and the one translator, shared by the review, the delivery check and the preview. */
@Configuration(proxyBeanMethods = false)
class DecisionConfig {

    @Bean
    ConsentGate consentGate(JobcenterDirectory directory, IpsProperties properties) {
        return new ConsentGate(directory::jobcenterFor, properties.consent().maxAge());
    }

    @Bean
    CaseRecordTranslator caseRecordTranslator(IpsProperties properties) {
        return new CaseRecordTranslator(properties.region());
    }
}
