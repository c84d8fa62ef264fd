package dk.ipsbridge.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dk.ipsbridge.failure.BadInputException;
import dk.ipsbridge.failure.FailedRecords;
import dk.ipsbridge.failure.Replays;
import dk.ipsbridge.failure.UnavailableException;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

class FailedRecordsControllerTest {

    private static final Instant FIRST = Instant.parse("2025-03-01T10:00:00Z");
    private static final String ORIGINAL = "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Jensen\"}]}";

    private final FailedRecords failed = mock(FailedRecords.class);
    private final Replays replays = mock(Replays.class);
    private final MockMvc mvc = MockMvcBuilders.standaloneSetup(new FailedRecordsController(failed, replays))
            .setControllerAdvice(new ApiErrors()).build();

    @Test
    void shouldListOpenRecordsWithoutTheOriginalMessage() throws Exception {
        when(failed.open()).thenReturn(List.of(record(4, ORIGINAL)));

        String body = mvc.perform(get("/api/failed")).andExpect(status().isOk())
                .andExpect(jsonPath("$[0].id").value(4)).andExpect(jsonPath("$[0].stage").value("review"))
                .andExpect(jsonPath("$[0].reason").value("bad-resource"))
                .andExpect(jsonPath("$[0].occurrences").value(2))
                .andExpect(jsonPath("$[0].firstAt").value("2025-03-01T10:00:00Z"))
                .andExpect(jsonPath("$[0].hasOriginal").value(true))
                .andReturn().getResponse().getContentAsString();

        assertThat(body).doesNotContain("Jensen").doesNotContain("original\"");
    }

    @Test
    void shouldShowOneRecordOr404() throws Exception {
        when(failed.find(4)).thenReturn(Optional.of(record(4, null)));
        when(failed.find(5)).thenReturn(Optional.empty());

        mvc.perform(get("/api/failed/4")).andExpect(status().isOk())
                .andExpect(jsonPath("$.hasOriginal").value(false));
        mvc.perform(get("/api/failed/5")).andExpect(status().isNotFound());
    }

    @Test
    void shouldAcceptAReplayAndDiscardAndAnswer404ForAnUnknownRecord() throws Exception {
        when(replays.replay(4)).thenReturn(true);
        when(replays.discard(4)).thenReturn(true);

        mvc.perform(post("/api/failed/4/replay")).andExpect(status().isAccepted());
        mvc.perform(post("/api/failed/4/discard")).andExpect(status().isNoContent());
        mvc.perform(post("/api/failed/5/replay")).andExpect(status().isNotFound());
        mvc.perform(post("/api/failed/5/discard")).andExpect(status().isNotFound());
    }

    @Nested
    class WhenTheEhrFails {

        @Test
        void shouldAnswer503WhileItIsUnavailable() throws Exception {
            when(failed.open()).thenThrow(new UnavailableException("EHR answered 503", 503, Duration.ofSeconds(5),
                    null));

            mvc.perform(get("/api/failed")).andExpect(status().isServiceUnavailable())
                    .andExpect(jsonPath("$.detail").value("The EHR is unavailable; try again later"));
        }

        @Test
        void shouldAnswer502WithTheReasonButNotTheMessageOrPayload() throws Exception {
            when(failed.open()).thenThrow(new BadInputException("unparseable-bundle", "cannot parse " + ORIGINAL,
                    ORIGINAL));

            String body = mvc.perform(get("/api/failed")).andExpect(status().isBadGateway())
                    .andExpect(jsonPath("$.detail")
                            .value("The EHR answered with data that cannot be read: unparseable-bundle"))
                    .andReturn().getResponse().getContentAsString();

            assertThat(body).doesNotContain("Jensen");
        }
    }

    private static FailedRecords.FailedRecord record(long id, String original) {
        return new FailedRecords.FailedRecord(id, FIRST, FIRST.plusSeconds(60), 2, "review", "ehr", "jobcenter-a",
                "Patient/p1", "bad-resource", "Condition 7 has no code", original, "open");
    }
}
