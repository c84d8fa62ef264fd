package dk.ipsbridge.notify;

import java.util.List;

import dk.ipsbridge.ehr.PollSchedule;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/notifications} (operators): per subscription what arrived, per source the poll schedule. */
@RestController
class NotificationOverview {

    private final NotificationBook book;
    private final PollSchedule polls;

    NotificationOverview(NotificationBook book, PollSchedule polls) {
        this.book = book;
        this.polls = polls;
    }

    record Overview(List<NotificationBook.Counts> subscriptions, List<PollSchedule.State> sources) {
    }

    @GetMapping("/api/notifications")
    Overview overview() {
        return new Overview(book.counts(), polls.states());
    }
}
