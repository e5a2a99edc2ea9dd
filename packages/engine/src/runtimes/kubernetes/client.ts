/**
 * client-node's generic object client, with two things the runtime needs and the library keeps protected:
 * the collection path of a kind (for field-selector watches, SPEC §11.4) and JSON patches (for the
 * managed-fields upgrade, SPEC §13.1).
 *
 * Requests and responses stay plain JSON: client-node's typed (de)serialisation drops fields its models do
 * not know on the way out (the server should judge those, not the client) and turns timestamps into Dates
 * and objects into class instances on the way back, which made objects from the API compare unequal to the
 * same objects read back from state.
 *
 * It also keeps connections alive. client-node 1.4 builds a fresh `https.Agent` for every request (in
 * `KubeConfig.applySecurityAuthentication`), so each call paid a TCP and TLS handshake; a 1,000-object apply
 * spent more CPU on handshakes than on the requests. Every request now goes through one keep-alive agent
 * built from the first agent's TLS options (CA, client certificate, server name). Proxy agents are left
 * alone. Authentication headers are still computed per request, so expiring tokens keep working.
 */
import { Agent as HttpsAgent } from 'node:https';
import {
  HttpMethod,
  type KubeConfig,
  type KubernetesObject,
  KubernetesObjectApi,
  type RequestContext,
  type ResponseContext,
} from '@kubernetes/client-node';
import { Transport } from './transport.js';

/** An RFC 6902 operation. */
export interface JsonPatchOperation {
  readonly op: 'add' | 'remove' | 'replace' | 'test';
  readonly path: string;
  readonly value?: unknown;
}

/** What a server-side apply returned, and whether it created the object. */
export interface AppliedObject {
  readonly object: KubernetesObject;
  readonly created: boolean;
}

/** The response "type" that asks `processResponse` for an `AppliedObject`. */
const appliedType = 'kusion:AppliedObject';

/** Sockets kept per host: above the default parallelism (16) plus watches, below anything abusive. */
const MAX_SOCKETS = 64;
/** Items per page of a list: large enough that a stack's namespace usually fits in one. */
const LIST_PAGE = 500;
/** `pretty`, `exact`, `exportt`, `fieldSelector`, `labelSelector` of client-node's `list`. */
const noFilters = [undefined, undefined, undefined, undefined, undefined] as const;

/** One page of a list response, as the server sends it. */
interface ListPage {
  readonly items: readonly KubernetesObject[];
  readonly metadata?: { readonly continue?: string };
}

/** A copy holding what addresses an object (specUriPath fills in a default namespace in place). */
function addressOf(object: KubernetesObject): KubernetesObject {
  const { name, namespace } = object.metadata ?? {};
  return {
    ...(object.apiVersion ? { apiVersion: object.apiVersion } : {}),
    ...(object.kind ? { kind: object.kind } : {}),
    metadata: { ...(name ? { name } : {}), ...(namespace ? { namespace } : {}) },
  };
}

export class ObjectClient extends KubernetesObjectApi {
  private sharedAgent: HttpsAgent | undefined;
  private kubeConfig: KubeConfig | undefined;
  private fastPath: Promise<Transport | undefined> | undefined;

  /** A client for the config's current context, sharing one keep-alive agent across requests. */
  static forConfig(config: KubeConfig): ObjectClient {
    const client = config.makeApiClient(ObjectClient);
    client.setDefaultNamespace(config);
    client.kubeConfig = config;
    const inner = client.configuration.httpApi;
    client.configuration = {
      ...client.configuration,
      httpApi: { send: (request: RequestContext) => inner.send(client.withSharedAgent(request)) },
    };
    return client;
  }

  /** The collection path of an object's kind in its namespace, e.g. `/apis/apps/v1/namespaces/a/deployments`. */
  collectionPath(object: KubernetesObject): Promise<string> {
    const { namespace } = object.metadata ?? {};
    return this.specUriPath({ ...addressOf(object), metadata: namespace ? { namespace } : {} }, 'list');
  }

  /**
   * Server-side apply (`application/apply-patch+yaml`; JSON is YAML), optionally as a dry run. `created`
   * tells a 201 (the apply created the object) from a 200 (it existed).
   */
  async serverSideApply(
    object: KubernetesObject,
    options: { readonly fieldManager: string; readonly force: boolean; readonly dryRun: boolean },
  ): Promise<AppliedObject> {
    const path = await this.specUriPath(addressOf(object), 'patch');
    const transport = await this.transport();
    if (transport) {
      const query = new URLSearchParams({ fieldManager: options.fieldManager });
      if (options.force) query.set('force', 'true');
      if (options.dryRun) query.set('dryRun', 'All');
      const response = await transport.send('PATCH', `${path}?${query}`, {
        contentType: 'application/apply-patch+yaml',
        text: JSON.stringify(object),
      });
      return { object: JSON.parse(response.text) as KubernetesObject, created: response.status === 201 };
    }
    const request = this.configuration.baseServer.makeRequestContext(path, HttpMethod.PATCH);
    request.setHeaderParam('Accept', 'application/json');
    request.setHeaderParam('Content-Type', 'application/apply-patch+yaml');
    request.setQueryParam('fieldManager', options.fieldManager);
    if (options.force) request.setQueryParam('force', 'true');
    if (options.dryRun) request.setQueryParam('dryRun', 'All');
    request.setBody(JSON.stringify(object));
    return this.requestPromise(request, appliedType) as Promise<unknown> as Promise<AppliedObject>;
  }

  /** The object as the server stores it (`GET`); a missing one throws `ApiException` 404. */
  async readObject(
    object: KubernetesObject & { metadata: { name: string; namespace?: string } },
  ): Promise<KubernetesObject> {
    const path = await this.specUriPath(addressOf(object), 'read');
    const transport = await this.transport();
    if (!transport) return this.read(object);
    return JSON.parse((await transport.send('GET', path)).text) as KubernetesObject;
  }

  /**
   * Every object of a kind in a namespace (cluster-wide for cluster-scoped kinds), page by page, each item
   * with its `apiVersion` and `kind` (list items carry neither).
   */
  async listObjects(apiVersion: string, kind: string, namespace?: string): Promise<KubernetesObject[]> {
    const transport = await this.transport();
    const items: KubernetesObject[] = [];
    let continueToken: string | undefined;
    do {
      // Raw JSON on both paths (processResponse below), so the token is `continue`, not client-node's `_continue`.
      let page: ListPage;
      if (transport) {
        const query = new URLSearchParams({ limit: String(LIST_PAGE) });
        if (continueToken) query.set('continue', continueToken);
        const path = await this.collectionPath({
          apiVersion,
          kind,
          metadata: namespace ? { namespace } : {},
        });
        page = JSON.parse((await transport.send('GET', `${path}?${query}`)).text) as ListPage;
      } else {
        const listed = await this.list(apiVersion, kind, namespace, ...noFilters, LIST_PAGE, continueToken);
        page = listed as unknown as ListPage;
      }
      for (const item of page.items) items.push({ ...item, apiVersion, kind });
      continueToken = page.metadata?.continue || undefined;
    } while (continueToken);
    return items;
  }

  /** `PATCH` with `application/json-patch+json`: client-node's `patch` would serialise the body as an object. */
  async jsonPatch(
    object: KubernetesObject,
    operations: readonly JsonPatchOperation[],
  ): Promise<KubernetesObject> {
    const path = await this.specUriPath(addressOf(object), 'patch');
    const request = this.configuration.baseServer.makeRequestContext(path, HttpMethod.PATCH);
    request.setHeaderParam('Accept', 'application/json');
    request.setHeaderParam('Content-Type', 'application/json-patch+json');
    request.setBody(JSON.stringify(operations));
    return this.requestPromise(request);
  }

  /**
   * Successful responses as parsed JSON (with the status for applies); failures keep client-node's
   * ApiException (status code and body).
   */
  protected override async processResponse<T extends KubernetesObject>(
    response: ResponseContext,
    type?: string,
  ): Promise<T> {
    const status = response.httpStatusCode;
    if (status < 200 || status > 299) return super.processResponse(response, type);
    const object = JSON.parse(await response.body.text()) as T;
    if (type !== appliedType) return object;
    const applied: AppliedObject = { object, created: status === 201 };
    return applied as unknown as T;
  }

  /** Swaps the per-request agent for the shared keep-alive one (plain https agents only, not proxies). */
  private withSharedAgent(request: RequestContext): RequestContext {
    const agent = request.getAgent();
    if (!(agent instanceof HttpsAgent) || agent.constructor !== HttpsAgent) return request;
    this.sharedAgent ??= new HttpsAgent({ ...agent.options, keepAlive: true, maxSockets: MAX_SOCKETS });
    request.setAgent(this.sharedAgent);
    return request;
  }

  /** Applies and reads go through the lean transport where it can serve the context (transport.ts). */
  private transport(): Promise<Transport | undefined> {
    this.fastPath ??= this.kubeConfig ? Transport.open(this.kubeConfig) : Promise.resolve(undefined);
    return this.fastPath;
  }

  /** Closes idle kept-alive sockets, so the process can exit. */
  async close(): Promise<void> {
    this.sharedAgent?.destroy();
    (await this.fastPath?.catch(() => undefined))?.close();
  }
}
