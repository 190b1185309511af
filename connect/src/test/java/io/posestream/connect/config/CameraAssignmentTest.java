package io.posestream.connect.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CameraAssignmentTest {
    private static final List<String> FIVE = List.of("a", "b", "c", "d", "e");

    @Test
    void camerasAreDealtRoundRobinOverAtMostTasksMaxTasks() {
        assertThat(CameraAssignment.spread(FIVE, 2)).containsExactly(List.of("a", "c", "e"), List.of("b", "d"));
        assertThat(CameraAssignment.spread(FIVE, 1)).containsExactly(FIVE);
    }

    @Test
    void moreTasksAllowedThanCamerasGivesOneCameraPerTaskAndNoEmptyTask() {
        assertThat(CameraAssignment.spread(FIVE, 8))
                .hasSize(5)
                .allSatisfy(task -> assertThat(task).hasSize(1));
    }

    @Test
    void tasksMaxBelowOneIsRefused() {
        assertThatThrownBy(() -> CameraAssignment.spread(FIVE, 0)).hasMessageContaining("tasks.max");
    }
}
