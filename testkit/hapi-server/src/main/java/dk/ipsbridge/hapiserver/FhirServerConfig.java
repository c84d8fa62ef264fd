package dk.ipsbridge.hapiserver;

import ca.uhn.fhir.batch2.jobs.config.Batch2JobsConfig;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.config.ThreadPoolFactoryConfig;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.batch2.JpaBatch2Config;
import ca.uhn.fhir.jpa.binstore.DatabaseBinaryContentStorageSvcImpl;
import ca.uhn.fhir.jpa.config.HapiJpaConfig;
import ca.uhn.fhir.jpa.config.r4.JpaR4Config;
import ca.uhn.fhir.jpa.config.util.HapiEntityManagerFactoryUtil;
import ca.uhn.fhir.jpa.model.config.PartitionSettings;
import ca.uhn.fhir.jpa.model.config.SubscriptionSettings;
import ca.uhn.fhir.jpa.model.dialect.HapiFhirH2Dialect;
import ca.uhn.fhir.jpa.model.entity.StorageSettings;
import ca.uhn.fhir.jpa.provider.JpaCapabilityStatementProvider;
import ca.uhn.fhir.jpa.provider.JpaSystemProvider;
import ca.uhn.fhir.jpa.search.DatabaseBackedPagingProvider;
import ca.uhn.fhir.jpa.subscription.channel.config.SubscriptionChannelConfig;
import ca.uhn.fhir.narrative2.NullNarrativeGenerator;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.server.IncomingRequestAddressStrategy;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.provider.ResourceProviderFactory;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import jakarta.persistence.EntityManagerFactory;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.hibernate.cfg.AvailableSettings;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.orm.jpa.JpaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean;
import org.springframework.transaction.annotation.EnableTransactionManagement;

/**
 * The HAPI FHIR JPA server, R4 only, wired the way hapi-fhir-jpaserver-starter does it (JpaR4Config + HapiJpaConfig +
 * batch2, our own EntityManagerFactory on Spring Boot's DataSource), without the starter's optional modules: no tester
 * UI, subscriptions, MDM, CQL, IPS generation, OpenAPI, GraphQL endpoint, validation or full-text (Lucene/Elastic)
 * indexing. Settings under {@code ipsbridge.hapi.*} (application.yaml) can be overridden on the command line.
 */
@Configuration
@EnableTransactionManagement
// Batch2 (HAPI's job framework) because the JPA DAOs depend on it (deferred terminology storage, $delete-expunge,
// $merge); its job definitions are registered but no job runs unless asked for. SubscriptionChannelConfig only for
// its in-memory message broker, which batch2 needs; no subscription matching or delivery is configured.
@Import({
    JpaR4Config.class,
    HapiJpaConfig.class,
    JpaBatch2Config.class,
    Batch2JobsConfig.class,
    SubscriptionChannelConfig.class,
    ThreadPoolFactoryConfig.class
})
public class FhirServerConfig {

    @Bean
    public JpaStorageSettings jpaStorageSettings(
            @Value("${ipsbridge.hapi.client-id-strategy:ANY}") JpaStorageSettings.ClientIdStrategyEnum clientIdStrategy,
            @Value("${ipsbridge.hapi.auto-create-placeholder-references:false}") boolean placeholders,
            @Value("${ipsbridge.hapi.enforce-referential-integrity-on-write:true}") boolean integrityOnWrite,
            @Value("${ipsbridge.hapi.reuse-cached-search-results-millis:0}") long reuseMillis,
            @Value("${ipsbridge.hapi.max-page-size:1000}") int maxPageSize) {
        JpaStorageSettings settings = new JpaStorageSettings();

        // client-assigned ids: PUT Patient/p1 creates Patient/p1. ANY also allows all-numeric ids and then needs
        // server-assigned ids to be UUIDs, so that the two can never collide.
        settings.setResourceClientIdStrategy(clientIdStrategy);
        if (clientIdStrategy == JpaStorageSettings.ClientIdStrategyEnum.ANY) {
            settings.setResourceServerIdStrategy(JpaStorageSettings.IdStrategyEnum.UUID);
        }

        settings.setAllowExternalReferences(true);
        settings.setAllowMultipleDelete(true);
        settings.setAllowInlineMatchUrlReferences(true);
        settings.setAutoCreatePlaceholderReferenceTargets(placeholders);
        settings.setEnforceReferentialIntegrityOnWrite(integrityOnWrite);

        // A search is a fresh query every time: HAPI's default reuses the result of an identical search for 60 s,
        // which would hide resources written in between from a poller that repeats the same _lastUpdated query.
        settings.setReuseCachedSearchResultsForMillis(reuseMillis > 0 ? reuseMillis : null);
        settings.setFetchSizeDefaultMaximum(maxPageSize);

        // nothing that writes or scans more than a plain JPA server needs
        settings.setIndexMissingFields(StorageSettings.IndexEnabledEnum.DISABLED);
        settings.setAdvancedHSearchIndexing(false);
        settings.setHibernateSearchIndexFullText(false);
        settings.setHibernateSearchIndexSearchParams(false);
        settings.setStoreResourceInHSearchIndex(false);
        settings.setMarkResourcesForReindexingUponSearchParameterChange(false);
        settings.setPreExpandValueSets(false);
        settings.setEnableTaskPreExpandValueSets(false);
        settings.setEnableTaskResourceReindexing(false);
        settings.setEnableTaskBulkExportJobExecution(false);
        settings.setEnableTaskBulkImportJobExecution(false);
        settings.setEnableTaskStaleSearchCleanup(true);
        settings.setLastNEnabled(false);
        settings.setFilterParameterEnabled(false);
        settings.setAllowContainsSearches(false);
        settings.setExpungeEnabled(true);
        settings.setDeleteExpungeEnabled(false);
        return settings;
    }

    @Bean
    public PartitionSettings partitionSettings() {
        return new PartitionSettings(); // partitioning off
    }

    @Bean
    public SubscriptionSettings subscriptionSettings() {
        return new SubscriptionSettings(); // no subscription channel types
    }

    @Bean
    public DatabaseBinaryContentStorageSvcImpl binaryStorageSvc() {
        return new DatabaseBinaryContentStorageSvcImpl();
    }

    @Primary
    @Bean
    public LocalContainerEntityManagerFactoryBean entityManagerFactory(
            ConfigurableListableBeanFactory beanFactory,
            FhirContext fhirContext,
            JpaStorageSettings storageSettings,
            DataSource dataSource,
            JpaProperties jpaProperties) {
        LocalContainerEntityManagerFactoryBean factory =
                HapiEntityManagerFactoryUtil.newEntityManagerFactory(beanFactory, fhirContext, storageSettings);
        Map<String, Object> properties = new HashMap<>(jpaProperties.getProperties());
        properties.putIfAbsent(AvailableSettings.DIALECT, HapiFhirH2Dialect.class.getName());
        properties.putIfAbsent(AvailableSettings.HBM2DDL_AUTO, "update");
        properties.putIfAbsent(AvailableSettings.STATEMENT_BATCH_SIZE, "20");
        properties.putIfAbsent(AvailableSettings.SHOW_SQL, "false");
        properties.putIfAbsent(AvailableSettings.FORMAT_SQL, "false");
        properties.putIfAbsent(AvailableSettings.USE_QUERY_CACHE, "false");
        properties.putIfAbsent(AvailableSettings.USE_SECOND_LEVEL_CACHE, "false");
        properties.putIfAbsent(AvailableSettings.USE_STRUCTURED_CACHE, "false");
        properties.putIfAbsent(AvailableSettings.USE_MINIMAL_PUTS, "false");
        properties.putIfAbsent(AvailableSettings.SCANNER, "org.hibernate.boot.archive.scan.internal.DisabledScanner");
        properties.putIfAbsent(
                AvailableSettings.PHYSICAL_NAMING_STRATEGY,
                "org.hibernate.boot.model.naming.CamelCaseToUnderscoresNamingStrategy");
        properties.putIfAbsent(
                AvailableSettings.IMPLICIT_NAMING_STRATEGY,
                "org.springframework.boot.orm.jpa.hibernate.SpringImplicitNamingStrategy");
        properties.putIfAbsent("hibernate.search.enabled", "false"); // no Lucene / Elasticsearch
        factory.setPersistenceUnitName("HAPI_PU");
        factory.setJpaPropertyMap(properties);
        factory.setDataSource(dataSource);
        return factory;
    }

    @Primary
    @Bean
    public JpaTransactionManager transactionManager(EntityManagerFactory entityManagerFactory) {
        return new JpaTransactionManager(entityManagerFactory);
    }

    @Bean
    public RequestCounter requestCounter() {
        return new RequestCounter();
    }

    @Bean
    public RestfulServer restfulServer(
            IFhirSystemDao<?, ?> systemDao,
            ResourceProviderFactory resourceProviderFactory,
            JpaSystemProvider<?, ?> systemProvider,
            JpaStorageSettings storageSettings,
            ISearchParamRegistry searchParamRegistry,
            IValidationSupport validationSupport,
            DatabaseBackedPagingProvider pagingProvider,
            RequestCounter requestCounter,
            @Value("${ipsbridge.hapi.default-page-size:20}") int defaultPageSize,
            @Value("${ipsbridge.hapi.max-page-size:1000}") int maxPageSize) {
        FhirContext fhirContext = systemDao.getContext();
        fhirContext.setNarrativeGenerator(new NullNarrativeGenerator());

        RestfulServer server = new RestfulServer(fhirContext);
        server.registerProviders(resourceProviderFactory.createProviders());
        server.registerProvider(systemProvider); // transaction / batch Bundles at the base, history, $meta
        JpaCapabilityStatementProvider capabilities = new JpaCapabilityStatementProvider(
                server, systemDao, storageSettings, searchParamRegistry, validationSupport);
        capabilities.setImplementationDescription("IPS Bridge test kit: HAPI FHIR JPA server (R4, H2)");
        server.setServerConformanceProvider(capabilities);

        // search results are kept in the database and paged from there (next links: ?_getpages=...)
        pagingProvider.setDefaultPageSize(defaultPageSize);
        pagingProvider.setMaximumPageSize(maxPageSize);
        server.setPagingProvider(pagingProvider);

        server.setDefaultResponseEncoding(EncodingEnum.JSON);
        server.setDefaultPrettyPrint(false);
        server.setServerAddressStrategy(new IncomingRequestAddressStrategy());
        server.registerInterceptor(requestCounter);
        return server;
    }
}
