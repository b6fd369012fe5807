package org.falab.gateway.rest;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.falab.gateway.mapping.RunMapper;
import org.falab.gateway.registry.Run;
import org.falab.gateway.auth.Callers;
import org.falab.gateway.service.RunService;

/**
 * A run's series: its train loss and test accuracy by step as JSON (the comparison page's curves), and its series as
 * CSV (see {@link Csv}) for pandas, spreadsheets and scripts, with snake_case column names.
 */
@Path(RunResource.PATH)
@Tag(name = "runs")
public class RunSeriesResource {

    private final RunService service;
    private final RunMapper runMapper;
    private final Callers callers;

    public RunSeriesResource(RunService service, RunMapper runMapper, Callers callers) {
        this.service = service;
        this.runMapper = runMapper;
        this.callers = callers;
    }

    @GET
    @Path("{id}/metrics")
    @Produces(jakarta.ws.rs.core.MediaType.APPLICATION_JSON)
    @Operation(summary = "Train loss and test accuracy by step",
            description = "[{step, epoch, trainLoss, testAccuracy, time}], by step; either value null where a step "
                    + "reported only the other (downsampled to falab.view.max-metric-steps steps)")
    @APIResponse(responseCode = "404", description = "Unknown run id",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public List<Run.MetricPoint> metricsJson(@PathParam("id") String id) {
        return service.metricHistory(id, callers.current());
    }

    @GET
    @Path("{id}/metrics.csv")
    @Produces(Csv.MEDIA_TYPE)
    @Operation(summary = "Train loss and test accuracy by step, as CSV",
            description = "Columns step, epoch, train_loss, test_accuracy, time; an empty field where a step "
                    + "reported only one of the two (downsampled to falab.view.max-metric-steps steps)")
    @APIResponse(responseCode = "404", description = "Unknown run id",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response metrics(@PathParam("id") String id) {
        List<Run.MetricPoint> points = service.metricHistory(id, callers.current());
        Csv csv = new Csv(List.of("step", "epoch", "train_loss", "test_accuracy", "time"));
        for (Run.MetricPoint p : points) {
            csv.row(p.step(), p.epoch(), p.trainLoss(), p.testAccuracy(), p.time());
        }
        return attachment(csv, id + "-metrics.csv");
    }

    @GET
    @Path("{id}/analysis.csv")
    @Produces(Csv.MEDIA_TYPE)
    @Operation(summary = "Effective ranks and alignment angles by step and layer, as CSV",
            description = "One row per (step, layer, quantity): step, epoch, layer, layer_index, quantity "
                    + "(error-signal, bp-error-signal, activity, update, or alignment), effective_rank, "
                    + "singular_value_count, rows, cols, near_zero_rows, then for quantity alignment "
                    + "error_signal_angle_to_bp, weight_feedback_angle, feedback_to_weight_norm_ratio (degrees, "
                    + "ratio), time")
    @APIResponse(responseCode = "404", description = "Unknown run id",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response analysis(@PathParam("id") String id) {
        Run run = service.get(id, callers.current());
        Csv csv = new Csv(List.of("step", "epoch", "layer", "layer_index", "quantity", "effective_rank",
                "singular_value_count", "rows", "cols", "near_zero_rows", "error_signal_angle_to_bp",
                "weight_feedback_angle", "feedback_to_weight_norm_ratio", "time"));
        for (RunResponse.AnalysisView a : runMapper.toAnalysis(run)) {
            csv.row(a.step(), a.epoch(), a.layer(), a.layerIndex(), a.quantity(), a.effectiveRank(),
                    a.singularValueCount(), a.rows(), a.cols(), a.nearZeroRows(), null, null, null, a.time());
        }
        for (RunResponse.AlignmentView a : runMapper.toAlignment(run)) {
            csv.row(a.step(), a.epoch(), a.layer(), a.layerIndex(), ALIGNMENT, null, null, null, null, null,
                    a.errorSignalAngleToBp(), a.weightFeedbackAngle(), a.feedbackToWeightNormRatio(), a.time());
        }
        return attachment(csv, id + "-analysis.csv");
    }

    /** The quantity column's value on the rows of alignment results (not a probe quantity: no rank). */
    static final String ALIGNMENT = "alignment";

    static Response attachment(Csv csv, String filename) {
        return Response.ok(csv.toString(), Csv.MEDIA_TYPE)
                .header("Content-Disposition", "attachment; filename=\"" + filename + "\"").build();
    }
}
