package dev.allocation.application.unitofwork;

import static org.assertj.core.api.Assertions.assertThat;

import dev.allocation.domain.events.Allocated;
import dev.allocation.domain.events.Deallocated;
import dev.allocation.domain.events.OutOfStock;
import java.util.List;
import org.junit.jupiter.api.Test;

class ViewChangeTest {

    @Test
    void an_allocation_holds_the_line_in_its_batch() {
        assertThat(ViewChange.of(List.of(new Allocated("o1", "LAMP", 2, "b1"))))
                .containsExactly(new ViewChange("o1", "LAMP", "b1"));
    }

    @Test
    void a_deallocated_line_is_held_nowhere() {
        assertThat(ViewChange.of(List.of(new Deallocated("o1", "LAMP", 2))))
                .containsExactly(new ViewChange("o1", "LAMP", null));
    }

    @Test
    void the_last_event_of_a_line_wins() {
        assertThat(ViewChange.of(List.of(new Deallocated("o1", "LAMP", 2), new Allocated("o1", "LAMP", 2, "b2"),
                new Deallocated("o2", "LAMP", 1))))
                .containsExactly(new ViewChange("o1", "LAMP", "b2"), new ViewChange("o2", "LAMP", null));
    }

    @Test
    void events_that_move_no_line_change_no_row() {
        assertThat(ViewChange.of(List.of(new OutOfStock("LAMP")))).isEmpty();
    }
}
