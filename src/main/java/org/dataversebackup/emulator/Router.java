package org.dataversebackup.emulator;

/** Dispatches a Web API request (below the service root) to its handler. */
final class Router {
    private final EmulatorContext ctx;

    Router(EmulatorContext ctx) {
        this.ctx = ctx;
    }

    ApiResponse route(ApiRequest request, Principal principal) {
        String path = request.path;
        if (path.equals("WhoAmI") || path.equals("WhoAmI()")) {
            if (!"GET".equals(request.method)) {
                throw ApiError.noResource(ctx.serviceRoot(request.version) + path);
            }
            return whoAmI(request, principal);
        }
        String first = WebApi.entitySetOf(path);
        throw ApiError.segmentNotFound(first);
    }

    private ApiResponse whoAmI(ApiRequest request, Principal principal) {
        return ApiResponse.json(200, json -> {
            json.writeStartObject();
            json.writeStringField("@odata.context", ctx.serviceRoot(request.version) + "$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse");
            json.writeStringField("BusinessUnitId", principal.businessUnitId.toString());
            json.writeStringField("UserId", principal.systemUserId.toString());
            json.writeStringField("OrganizationId", EmulatorIdentities.ORGANIZATION_ID);
            json.writeEndObject();
        });
    }
}
