/**
 * Just enough types for the vendor SDKs that ship none (the conformance suite uses these calls
 * only). Each mirrors the SDK's own JSDoc; the SDKs' answers are typed `any`, as they are at
 * run time (the tests assert their shape).
 */
declare module '@mailchimp/mailchimp_marketing' {
  /** `@mailchimp/mailchimp_marketing`'s singleton client (superagent underneath). */
  interface MailchimpClient {
    basePath: string;
    setConfig(config: { apiKey?: string; accessToken?: string; server?: string }): void;
    // biome-ignore lint/suspicious/noExplicitAny: the SDK's answers are untyped JSON
    ping: { get(): Promise<any> };
    lists: {
      // biome-ignore lint/suspicious/noExplicitAny: as above
      getList(listId: string, opts?: Record<string, unknown>): Promise<any>;
      // biome-ignore lint/suspicious/noExplicitAny: as above
      batchListMembers(listId: string, body: unknown, opts?: Record<string, unknown>): Promise<any>;
      // biome-ignore lint/suspicious/noExplicitAny: as above
      getListMember(listId: string, hash: string, opts?: Record<string, unknown>): Promise<any>;
      updateListMemberTags(listId: string, hash: string, body: unknown): Promise<null>;
      deleteListMember(listId: string, hash: string): Promise<null>;
      deleteListMemberPermanent(listId: string, hash: string): Promise<null>;
      // biome-ignore lint/suspicious/noExplicitAny: as above
      getListMergeFields(listId: string, opts?: Record<string, unknown>): Promise<any>;
    };
  }
  const client: MailchimpClient;
  export default client;
}

declare module 'facebook-nodejs-business-sdk' {
  /** The Graph API session of `facebook-nodejs-business-sdk` (axios underneath). */
  export class FacebookAdsApi {
    constructor(accessToken: string, locale?: string, crashLog?: boolean);
    static readonly GRAPH: string;
    static readonly VERSION: string;
    static setDefaultApi(api: FacebookAdsApi): void;
    setDebug(on: boolean): FacebookAdsApi;
  }
  /** A Custom Audience node; its `/users` edge adds and removes members. */
  export class CustomAudience {
    constructor(id: string, data?: Record<string, unknown>, parentId?: string, api?: FacebookAdsApi);
    // biome-ignore lint/suspicious/noExplicitAny: the node's data is untyped JSON
    createUser(fields: string[], params: Record<string, unknown>): Promise<any>;
    // biome-ignore lint/suspicious/noExplicitAny: as above
    deleteUsers(params: Record<string, unknown>): Promise<any>;
    // biome-ignore lint/suspicious/noExplicitAny: as above
    get(fields: string[], params?: Record<string, unknown>): Promise<any>;
  }
}
